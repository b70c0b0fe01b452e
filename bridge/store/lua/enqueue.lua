-- enqueue.lua: AUTOMATIC -> QUEUED, into the department's queue (ordered by creation time).
-- KEYS: prelude, then 1 automatic zset, 2 the department's queue, 3 today's statistics hash
-- ARGV: prelude, then 1 department, 2 expected flow step or "", 3 fields json to set,
--       4 statistics fields to count, 5 event count, then event triples
-- Reply: {"ok", queue position, event ids...} | {"state", current} | {"step", current}
--        | {"missing"} | {"full", kind}
local nxt, state = transition('enqueue')
if not state then return {'missing'} end
if not nxt then return {'state', state} end
local step = redis.call('HGET', CONV, 'step') or ''
if A(2) ~= '' and step ~= A(2) then return {'step', step} end
local full = outbox_full()
if full then return {'full', full} end
set_fields(A(3))
redis.call('HSET', CONV, 'state', nxt, 'dept', A(1), 'queued', NOW, 'step', 'done')
redis.call('ZREM', K(1), CID)
redis.call('ZADD', K(2), redis.call('HGET', CONV, 'created'), CID)
count(K(3), A(4))
local ids = emit_from(10)
return reply({'ok', redis.call('ZRANK', K(2), CID) + 1}, ids)
