-- timer_done.lua: finish a timer taken with timers.lua, unless it was rescheduled meanwhile
-- (its score is no longer the lease's). No prelude.
-- KEYS: 1 timers zset
-- ARGV: 1 member, 2 the lease's score
-- Reply: 1 when removed, 0 when it had been rescheduled
if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1])) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
