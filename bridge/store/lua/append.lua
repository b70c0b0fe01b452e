-- append.lua: events that keep the state (or leave it in the automatic stage): customer and
-- bot messages, department and form steps, notes, peeks, ratings, edits.
-- KEYS: prelude, then 1 dedupe key (used only when ARGV dedupe ttl is not ""), 2 a statistics
--       hash (used only when ARGV 7 is not "")
-- ARGV: prelude, then 1 action (domain.states.Action), 2 dedupe ttl seconds or "",
--       3 fields json to set, 4 expected flow step or "", 5 field that must still be empty or "",
--       6 "1" when the customer wrote (stamps last_cust), 7 statistics fields to count,
--       8 the visitor who must own the conversation or "" (anyone else: "missing", as if it
--       did not exist), 9 event count, then event triples
-- Reply: {"ok", state, flow step, department, event ids...} | {"dup", first event id, state}
--        | {"state", current} | {"step", current step} | {"done", field} | {"missing"}
--        | {"full", kind}
if A(8) ~= '' and redis.call('HGET', CONV, 'visitor') ~= A(8) then return {'missing'} end
local nxt, state = transition(A(1))
if not state then return {'missing'} end
if not nxt then return {'state', state} end
local dedupe = A(2) ~= ''
if dedupe then
  local seen = redis.call('GET', K(1))
  if seen then return {'dup', seen, state} end
end
local step = redis.call('HGET', CONV, 'step') or ''
if A(4) ~= '' and step ~= A(4) then return {'step', step} end
if A(5) ~= '' and (redis.call('HGET', CONV, A(5)) or '') ~= '' then return {'done', A(5)} end
local full = outbox_full()
if full then return {'full', full} end
set_fields(A(3))
if A(6) == '1' then redis.call('HSET', CONV, 'last_cust', NOW) end
count(K(2), A(7))
local ids = emit_from(14)
if dedupe and #ids > 0 then redis.call('SET', K(1), ids[1], 'EX', A(2)) end
step = redis.call('HGET', CONV, 'step') or ''
return reply({'ok', nxt, step, redis.call('HGET', CONV, 'dept') or ''}, ids)
