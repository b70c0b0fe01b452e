-- create.lua: a new conversation, in the automatic stage or (proactive chat) in service.
-- KEYS: prelude, then 1 visitor hash, 2 automatic zset, 3 contact's conversations zset,
--       4 conversation number counter, 5 assignee's active set, 6 in-service zset
-- ARGV: prelude, then 1 conversation fields json, 2 created (ms), 3 assignee ("" = automatic),
--       4 assignee's max chats, 5 event count, then event triples
-- Reply: {"ok", number, event ids...} | {"open", cid of the visitor's open conversation}
--        | {"capacity", max} | {"exists"} | {"full", kind}
if redis.call('EXISTS', CONV) == 1 then return {'exists'} end
local open = redis.call('HGET', K(1), 'open')
if open and open ~= '' then return {'open', open} end
local assignee = A(3)
if assignee ~= '' and redis.call('SCARD', K(5)) >= tonumber(A(4)) then return {'capacity', A(4)} end
local full = outbox_full()
if full then return {'full', full} end
local number = redis.call('INCR', K(4))
set_fields(A(1))
redis.call('HSET', CONV, 'n', number)
redis.call('HSET', K(1), 'open', CID, 'conv', CID)
redis.call('ZADD', K(3), A(2), CID)
if assignee == '' then
  redis.call('ZADD', K(2), A(2), CID)
else
  redis.call('HSET', CONV, 'state', 'in_service', 'assignee', assignee, 'claimed', NOW)
  redis.call('SADD', K(5), CID)
  redis.call('ZADD', K(6), NOW, CID)
end
local ids = emit_from(10)
-- tell the visitor's live widget sessions (any tab, any process) about their new conversation
local visitor = redis.call('HGET', CONV, 'visitor')
if visitor and visitor ~= '' then
  redis.call('XADD', BELL, 'MAXLEN', '~', LIMITS[2], '*', 'c', CID, 'i', ids[1], 'k', 'started', 'v', visitor)
end
return reply({'ok', number}, ids)
