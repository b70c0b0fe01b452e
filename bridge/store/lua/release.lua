-- release.lua: drop a lease, only when the caller still owns it. Not a transition: no prelude.
-- KEYS: 1 lease key
-- ARGV: 1 owner
-- Reply: 1 when released, 0 when someone else held it
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
