-- close.lua: any open state -> CLOSED; out of every live index, into history; keys expire
-- after the retention period.
-- KEYS: prelude, then 1 department's queue, 2 assignee's active set, 3 automatic zset,
--       4 in-service zset, 5 history zset, 6 department's history, 7 agent's history,
--       8 visitor hash, 9 contact's conversations zset, 10 today's statistics hash
-- ARGV: prelude, then 1 expected department, 2 expected assignee, 3 closed by, 4 reason,
--       5 history cutoff (ms; older entries leave the indices), 6 retention (seconds),
--       7 statistics fields to count, 8 event count, then event triples
-- Reply: {"ok", event ids...} | {"stale"} | {"state", current} | {"missing"} | {"full", kind}
local nxt, state = transition('close')
if not state then return {'missing'} end
if not nxt then return {'state', state} end
local dept = redis.call('HGET', CONV, 'dept') or ''
local assignee = redis.call('HGET', CONV, 'assignee') or ''
if dept ~= A(1) or assignee ~= A(2) then return {'stale'} end
local full = outbox_full()
if full then return {'full', full} end
redis.call('HSET', CONV, 'state', nxt, 'closed', NOW, 'closed_by', A(3), 'reason', A(4))
redis.call('ZREM', K(1), CID)
redis.call('SREM', K(2), CID)
redis.call('ZREM', K(3), CID)
redis.call('ZREM', K(4), CID)
for i = 5, 7 do
  if (i ~= 6 or dept ~= '') and (i ~= 7 or assignee ~= '') then
    redis.call('ZADD', K(i), NOW, CID)
    redis.call('ZREMRANGEBYSCORE', K(i), '-inf', '(' .. A(5))
  end
end
redis.call('ZREMRANGEBYSCORE', K(9), '-inf', '(' .. A(5))
if redis.call('HGET', K(8), 'open') == CID then redis.call('HDEL', K(8), 'open') end
count(K(10), A(7))
local ids = emit_from(13)
redis.call('EXPIRE', CONV, A(6))
redis.call('EXPIRE', LOG, A(6))
return reply({'ok'}, ids)
