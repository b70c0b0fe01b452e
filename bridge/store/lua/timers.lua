-- timers.lua: take the timers that are due, atomically: each goes to exactly one caller, who
-- holds it for a lease (its score moves to now + lease). A caller that dies before finishing
-- lets it fire again when the lease ends; handlers are idempotent (state-guarded). No prelude.
-- KEYS: 1 timers zset (member "kind|arg", score = due ms)
-- ARGV: 1 now (ms), 2 lease (ms), 3 how many at most
-- Reply: flat list member, score (the lease's score, to finish the timer with), ...
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local out = {}
local lease = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, member in ipairs(due) do
  redis.call('ZADD', KEYS[1], lease, member)
  out[#out + 1] = member
  out[#out + 1] = tostring(lease)
end
return out
