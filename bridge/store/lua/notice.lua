-- notice.lua: a notice that belongs to no conversation (a waiting alert to a department's
-- channels, a message to one agent), into the given outbox lanes, with a doorbell ring so the
-- lanes' owners wake. No prelude.
-- KEYS: 1 doorbell, 2.. outbox streams
-- ARGV: 1 doorbell maxlen, 2 lane id ("#<dept>" or "@<agent>"), 3 op ("alert" | "notify"),
--       4 department or "", 5 event json, 6 dedupe ttl or "", then (when ARGV[6]) KEYS[#KEYS]
--       is the dedupe key and is not an outbox
-- Reply: the doorbell entry id, or "" when the dedupe key was already there
local last = #KEYS
if ARGV[6] ~= '' then
  if not redis.call('SET', KEYS[last], '1', 'NX', 'EX', ARGV[6]) then return '' end
  last = last - 1
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'c', ARGV[2], 'i', '0-1', 'k', ARGV[3])
for i = 2, last do
  redis.call('XADD', KEYS[i], '*', 'c', ARGV[2], 'd', ARGV[4], 'e', id, 'o', ARGV[3], 'k', 'message', 'v', ARGV[5])
end
return id
