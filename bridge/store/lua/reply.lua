-- reply.lua: a message an agent writes in a conversation's thread (or a command's reply).
-- Applies domain.access.thread_message_outcome atomically: only the holder reaches the customer.
-- KEYS: prelude, then 1 dedupe key (the vendor's event id), 2 the department's queue,
--       3 the agent's active set, 4 in-service zset, 5 external message key, 6 message refs hash,
--       7 today's statistics hash
-- ARGV: prelude, then 1 agent id, 2 mode: "auto" (thread message), "reply" (must hold the chat),
--       "note"; 3 "1" to claim a waiting chat on reply, 4 "1" when the agent may access the
--       expected department, 5 max chats, 6 expected department, 7 dedupe ttl or "",
--       8 reply event json, 9 note event json, 10 claimed event json, 11 routing of the events,
--       12 source kind ("" = none), 13 source ref, 14 ttl of the message refs (seconds),
--       15 statistics fields of a claim here, 16 statistics field of a first response
-- Reply: {"reply"|"claim_reply"|"note", event ids...} | {"dup", event id} | {"stale"}
--        | {"not_holder", state, assignee} | {"state", current} | {"missing"} | {"full", kind}
local state = redis.call('HGET', CONV, 'state')
if not state then return {'missing'} end
if A(7) ~= '' then
  local seen = redis.call('GET', K(1))
  if seen then return {'dup', seen} end
end
local dept = redis.call('HGET', CONV, 'dept') or ''
if dept ~= A(6) then return {'stale'} end
local assignee = redis.call('HGET', CONV, 'assignee') or ''
local mode, agent = A(2), A(1)
-- a chat reserved for its last agent is not claimed by someone else's reply (claim.lua too)
local function reserved_for_other(who)
  local reserved = redis.call('HGET', CONV, 'reserved') or ''
  local until_ms = tonumber(redis.call('HGET', CONV, 'reserved_until') or '0') or 0
  return reserved ~= '' and reserved ~= who and until_ms > tonumber(NOW)
end
local outcome = 'note'
if mode ~= 'note' and state == 'in_service' and assignee == agent then
  outcome = 'reply'
elseif mode == 'auto' and state == 'queued' and A(3) == '1' and A(4) == '1'
    and redis.call('SCARD', K(3)) < tonumber(A(5)) and not reserved_for_other(agent) then
  outcome = 'claim_reply'
end
if mode == 'reply' and outcome == 'note' then return {'not_holder', state, assignee} end
if outcome == 'note' and not NEXT[state .. '|note'] then return {'state', state} end
local full = outbox_full()
if full then return {'full', full} end
local ids = {}
if outcome == 'claim_reply' then
  redis.call('HSET', CONV, 'state', 'in_service', 'assignee', agent, 'claimed', NOW)
  redis.call('ZREM', K(2), CID)
  redis.call('SADD', K(3), CID)
  redis.call('ZADD', K(4), NOW, CID)
  count(K(7), A(15))
  ids[#ids + 1] = emit(A(10), 'claimed', A(11))
end
if outcome == 'note' then
  ids[#ids + 1] = emit(A(9), 'note', A(11))
else
  if redis.call('HSETNX', CONV, 'first_resp', NOW) == 1 then count(K(7), A(16)) end
  ids[#ids + 1] = emit(A(8), 'message', A(11))
end
local written = ids[#ids]
if A(7) ~= '' then redis.call('SET', K(1), written, 'EX', A(7)) end
if A(12) ~= '' then
  -- the vendor message <-> timeline item, both ways: edits and deletes find their target
  redis.call('SET', K(5), CID .. ' ' .. written, 'EX', A(14))
  redis.call('HSET', K(6), written .. ':' .. A(12), A(13))
  redis.call('EXPIRE', K(6), A(14))
end
return reply({outcome}, ids)
