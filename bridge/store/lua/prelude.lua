-- prelude.lua: shared head of every transition script; store/scripts.py prepends it.
-- KEYS: 1 conversation hash, 2 conversation log (stream), 3 doorbell (stream),
--       4 .. 3+NK one outbox stream per enabled agent-channel kind (order of ARGV[2]),
--       then the script's own keys, reached with K(i).
-- ARGV: 1 conversation id, 2 kinds ("slack,telegram" or ""), 3 routes json {dept: [kind, ...]},
--       4 "log maxlen,doorbell maxlen,outbox max length", 5 now (epoch ms),
--       then the script's own arguments, reached with A(i).
-- Events are passed as triples (json, kind, routing): routing is "" (log only) or a
-- comma list of op:dept, where dept "*" means the conversation's department after the change.
local CONV, LOG, BELL = KEYS[1], KEYS[2], KEYS[3]
local CID = ARGV[1]
local KINDS = {}
for k in string.gmatch(ARGV[2], '[^,]+') do KINDS[#KINDS + 1] = k end
local NK = #KINDS
local ROUTES = cjson.decode(ARGV[3])
local LIMITS = {}
for n in string.gmatch(ARGV[4], '[^,]+') do LIMITS[#LIMITS + 1] = n end
local NOW = ARGV[5]
local NEXT = __NEXT__

local function K(i) return KEYS[3 + NK + i] end
local function A(i) return ARGV[5 + i] end

-- The kind whose outbox is at its bound, or nil. Checked before any write: a full outbox
-- refuses the change (the caller reports it) instead of trimming undelivered entries.
local function outbox_full()
  for i = 1, NK do
    if redis.call('XLEN', KEYS[3 + i]) >= tonumber(LIMITS[3]) then return KINDS[i] end
  end
  return nil
end

-- next state for action, and the current state (nil, nil when the conversation is missing)
local function transition(action)
  local state = redis.call('HGET', CONV, 'state')
  if not state then return nil, nil end
  return NEXT[state .. '|' .. action], state
end

local function route(ev, id, kind, op, dept)
  if dept == '*' then dept = redis.call('HGET', CONV, 'dept') or '' end
  local kinds = ROUTES[dept]
  if dept == '' or not kinds then return end
  for _, want in ipairs(kinds) do
    for i = 1, NK do
      if KINDS[i] == want then
        redis.call('XADD', KEYS[3 + i], '*', 'c', CID, 'd', dept, 'e', id, 'o', op, 'k', kind, 'v', ev)
      end
    end
  end
end

-- Append one event to the log, ring the doorbell and write its outbox entries.
local function emit(ev, kind, routing)
  local id = redis.call('XADD', LOG, 'MAXLEN', '~', LIMITS[1], '*', 'e', ev)
  redis.call('XADD', BELL, 'MAXLEN', '~', LIMITS[2], '*', 'c', CID, 'i', id, 'k', kind)
  redis.call('HSET', CONV, 'last_eid', id)
  for op, dept in string.gmatch(routing, '([%w_]+):([^,]+)') do route(ev, id, kind, op, dept) end
  return id
end

-- Emit the event triples starting at ARGV[first] (ARGV[first] holds their count).
local function emit_from(first)
  local ids = {}
  for j = 0, tonumber(ARGV[first]) - 1 do
    local at = first + 1 + j * 3
    ids[#ids + 1] = emit(ARGV[at], ARGV[at + 1], ARGV[at + 2])
  end
  return ids
end

local function set_fields(json)
  local fields = cjson.decode(json)
  for name, value in pairs(fields) do redis.call('HSET', CONV, name, value) end
end

-- Count statistics: `fields` is "name,name,..." (each +1) in the hash `key`, kept 400 days.
local function count(key, fields)
  if fields == '' then return end
  for field in string.gmatch(fields, '[^,]+') do redis.call('HINCRBY', key, field, 1) end
  redis.call('EXPIRE', key, 34560000)
end

local function reply(head, ids)
  for _, id in ipairs(ids) do head[#head + 1] = id end
  return head
end
