-- reopen.lua: CLOSED -> QUEUED (or IN_SERVICE with the same agent, when given and with room),
-- when the customer writes again within the reopen rule. The conversation leaves the history
-- and stops expiring.
-- KEYS: prelude, then 1 department queue, 2 agent's active set (unused when ""), 3 in-service
--       zset, 4 visitor hash, 5 history, 6 department history, 7 agent history
-- ARGV: prelude, then 1 expected department, 2 agent ("" = back in the queue), 3 agent's max
--       chats, 4 event count, then event triples
-- Reply: {"ok", state, event ids...} | {"open", other cid} | {"stale"} | {"state", current}
--        | {"missing"} | {"full", kind}
local state = redis.call('HGET', CONV, 'state')
if not state then return {'missing'} end
if state ~= 'closed' then return {'state', state} end
if (redis.call('HGET', CONV, 'dept') or '') ~= A(1) then return {'stale'} end
local open = redis.call('HGET', K(4), 'open')
if open and open ~= '' and open ~= CID then return {'open', open} end
local full = outbox_full()
if full then return {'full', full} end
local agent = A(2)
if agent ~= '' and redis.call('SCARD', K(2)) >= tonumber(A(3)) then agent = '' end
redis.call('HDEL', CONV, 'closed', 'closed_by', 'reason', 'rating', 'rating_comment', 'warned')
redis.call('HINCRBY', CONV, 'reopened', 1)
if agent ~= '' then
  redis.call('HSET', CONV, 'state', NEXT['closed|reopen_to_agent'], 'assignee', agent, 'claimed', NOW)
  redis.call('SADD', K(2), CID)
  redis.call('ZADD', K(3), NOW, CID)
else
  redis.call('HSET', CONV, 'state', NEXT['closed|reopen'], 'assignee', '', 'queued', NOW)
  redis.call('ZADD', K(1), redis.call('HGET', CONV, 'created'), CID)
end
for i = 5, 7 do redis.call('ZREM', K(i), CID) end
redis.call('HSET', K(4), 'open', CID, 'conv', CID)
redis.call('PERSIST', CONV)
redis.call('PERSIST', LOG)
local ids = emit_from(9)
return reply({'ok', redis.call('HGET', CONV, 'state')}, ids)
