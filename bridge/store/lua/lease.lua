-- lease.lua: take or renew a lease; only its owner renews it. Not a transition: no prelude.
-- KEYS: 1 lease key
-- ARGV: 1 owner, 2 ttl (ms)
-- Reply: 1 when the caller holds the lease afterwards, 0 otherwise
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if owner then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
