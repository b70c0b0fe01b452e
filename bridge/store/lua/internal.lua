-- internal.lua: a message of the internal chat between two agents. No prelude.
-- KEYS: 1 the pair's internal chat stream, 2 doorbell, 3.. the recipient's outbox streams
-- ARGV: 1 chat maxlen, 2 doorbell maxlen, 3 event json, 4 recipient lane id ("@" .. agent id)
-- Reply: the message's id in the chat stream
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[3])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'c', ARGV[4], 'i', id, 'k', 'internal')
for i = 3, #KEYS do
  redis.call('XADD', KEYS[i], '*', 'c', ARGV[4], 'd', '', 'e', id, 'o', 'notify', 'k', 'message', 'v', ARGV[3])
end
return id
