-- claim.lua: QUEUED -> IN_SERVICE for one agent, atomically: of many claims one wins.
-- Also used by automatic distribution (assign), which passes the chosen agent.
-- KEYS: prelude, then 1 the department's queue, 2 the agent's active set, 3 in-service zset,
--       4 today's statistics hash of the department
-- ARGV: prelude, then 1 agent id, 2 max chats, 3 expected department, 4 "1" when the agent may
--       access that department, 5 statistics fields to count, comma-separated, 6 event count,
--       then event triples
-- Reply: {"ok", event ids...} | {"taken", winner} | {"reserved", agent, until ms}
--        | {"state", current} | {"stale"} (department changed since the caller read it)
--        | {"forbidden"} | {"capacity", max} | {"missing"} | {"full", kind}
local nxt, state = transition('claim')
if not state then return {'missing'} end
if not nxt then
  if state == 'in_service' then return {'taken', redis.call('HGET', CONV, 'assignee')} end
  return {'state', state}
end
if (redis.call('HGET', CONV, 'dept') or '') ~= A(3) then return {'stale'} end
if A(4) ~= '1' then return {'forbidden'} end
local reserved = redis.call('HGET', CONV, 'reserved') or ''
local reserved_until = tonumber(redis.call('HGET', CONV, 'reserved_until') or '0') or 0
if reserved ~= '' and reserved ~= A(1) and reserved_until > tonumber(NOW) then
  return {'reserved', reserved, tostring(reserved_until)}
end
if redis.call('SCARD', K(2)) >= tonumber(A(2)) then return {'capacity', A(2)} end
local full = outbox_full()
if full then return {'full', full} end
redis.call('HSET', CONV, 'state', nxt, 'assignee', A(1), 'claimed', NOW)
redis.call('ZREM', K(1), CID)
redis.call('SADD', K(2), CID)
redis.call('ZADD', K(3), NOW, CID)
count(K(4), A(5))
return reply({'ok'}, emit_from(11))
