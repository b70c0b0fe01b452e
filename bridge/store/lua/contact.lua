-- contact.lua: write a contact and keep its search index in step, atomically.
-- Not a conversation transition: no prelude. Index members are "token|contact id" in one
-- sorted set (all scores 0), so prefix search is a ZRANGEBYLEX.
-- KEYS: 1 contact hash, 2 search index zset, 3 all-contacts zset (score = creation time)
-- ARGV: 1 contact id, 2 fields json (only the fields to change), 3 tokens json (the full new
--       token list), 4 created ms, 5 "1" to create only (fail when it exists)
-- Reply: {"ok"} | {"exists"} | {"missing"}
local exists = redis.call('EXISTS', KEYS[1]) == 1
if ARGV[5] == '1' and exists then return {'exists'} end
if ARGV[5] ~= '1' and not exists then return {'missing'} end
local old = redis.call('HGET', KEYS[1], 'tok')
if old then
  for _, t in ipairs(cjson.decode(old)) do redis.call('ZREM', KEYS[2], t .. '|' .. ARGV[1]) end
end
for name, value in pairs(cjson.decode(ARGV[2])) do redis.call('HSET', KEYS[1], name, value) end
for _, t in ipairs(cjson.decode(ARGV[3])) do redis.call('ZADD', KEYS[2], 0, t .. '|' .. ARGV[1]) end
redis.call('HSET', KEYS[1], 'tok', ARGV[3])
if not exists then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1]) end
return {'ok'}
