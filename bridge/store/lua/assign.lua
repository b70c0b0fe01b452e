-- assign.lua: automatic distribution: QUEUED -> IN_SERVICE with the first candidate that
-- still has room (the caller orders them: fewest chats, then longest idle). Atomic against
-- claims and other processes' assignments.
-- KEYS: prelude, then 1 the department's queue, 2 in-service zset, 3 today's statistics hash,
--       then per candidate: its active set, its presence hash
-- ARGV: prelude, then 1 expected department, 2 statistics fields, 3 candidate count,
--       then per candidate: agent id, max chats, claimed-event json
-- Reply: {"ok", agent, event id} | {"none"} (nobody has room) | {"state", current} | {"stale"}
--        | {"missing"} | {"full", kind}
local nxt, state = transition('claim')
if not state then return {'missing'} end
if not nxt then return {'state', state} end
if (redis.call('HGET', CONV, 'dept') or '') ~= A(1) then return {'stale'} end
local full = outbox_full()
if full then return {'full', full} end
for i = 0, tonumber(A(3)) - 1 do
  local agent, max, ev = A(4 + i * 3), tonumber(A(5 + i * 3)), A(6 + i * 3)
  local active, presence = K(4 + i * 2), K(5 + i * 2)
  if redis.call('SCARD', active) < max then
    redis.call('HSET', CONV, 'state', nxt, 'assignee', agent, 'claimed', NOW)
    redis.call('ZREM', K(1), CID)
    redis.call('SADD', active, CID)
    redis.call('ZADD', K(2), NOW, CID)
    redis.call('HSET', presence, 'assigned', NOW)
    count(K(3), A(2))
    return {'ok', agent, emit(ev, 'claimed', 'post:*')}
  end
end
return {'none'}
