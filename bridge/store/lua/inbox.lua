-- inbox.lua: accept one inbound job unless its dedupe key was seen. No prelude.
-- KEYS: 1 inbox stream, 2 dedupe key (unused when ARGV[3] is "")
-- ARGV: 1 stream maxlen, 2 payload, 3 dedupe ttl seconds or ""
-- Reply: the new entry id, or "" when the dedupe key was already there
if ARGV[3] ~= '' then
  if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then return '' end
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2])
