-- bucket.lua: a token bucket shared by every process (vendor rate limits). No prelude.
-- KEYS: 1 bucket hash {tokens, at}
-- ARGV: 1 rate (tokens per second), 2 burst (capacity), 3 now (ms)
-- Reply: 0 when a token was taken, else the milliseconds to wait before one is available
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
