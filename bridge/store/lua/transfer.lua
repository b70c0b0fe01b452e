-- transfer.lua: to another department's queue, or straight to a named agent.
-- KEYS: prelude, then 1 current department's queue, 2 target department's queue,
--       3 current assignee's active set, 4 target agent's active set, 5 in-service zset,
--       6 automatic zset
-- ARGV: prelude, then 1 expected department, 2 expected assignee, 3 target department,
--       4 target agent ("" = into the target department's queue), 5 target agent's max chats,
--       6 "1" when the actor may transfer this conversation, 7 event count, then event triples
-- Reply: {"ok", state, event ids...} | {"stale"} | {"forbidden"} | {"capacity", max}
--        | {"same"} | {"state", current} | {"missing"} | {"full", kind}
local to_agent = A(4) ~= ''
local nxt, state = transition(to_agent and 'transfer_to_agent' or 'transfer_to_department')
if not state then return {'missing'} end
if not nxt then return {'state', state} end
local dept = redis.call('HGET', CONV, 'dept') or ''
local assignee = redis.call('HGET', CONV, 'assignee') or ''
if dept ~= A(1) or assignee ~= A(2) then return {'stale'} end
if A(6) ~= '1' then return {'forbidden'} end
if to_agent and assignee == A(4) then return {'same'} end
if not to_agent and dept == A(3) and state == 'queued' then return {'same'} end
if to_agent and redis.call('SCARD', K(4)) >= tonumber(A(5)) then return {'capacity', A(5)} end
local full = outbox_full()
if full then return {'full', full} end
redis.call('ZREM', K(1), CID)
redis.call('ZREM', K(6), CID)
if assignee ~= '' then redis.call('SREM', K(3), CID) end
if to_agent then
  redis.call('HSET', CONV, 'state', nxt, 'dept', A(3), 'assignee', A(4), 'claimed', NOW)
  redis.call('SADD', K(4), CID)
  redis.call('ZADD', K(5), NOW, CID)
else
  redis.call('HSET', CONV, 'state', nxt, 'dept', A(3), 'assignee', '', 'queued', NOW)
  redis.call('HDEL', CONV, 'claimed')
  redis.call('ZREM', K(5), CID)
  redis.call('ZADD', K(2), redis.call('HGET', CONV, 'created'), CID)
end
return reply({'ok', nxt}, emit_from(12))
