-- RateLimitStore.adjust in one step: adds ARGV[1] (negative to give back) to the window count KEYS[1],
-- never below zero, keeping its expiry; nothing when the window's count is gone (expired or never
-- taken from). Returns 1 when adjusted, else 0.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
if redis.call('INCRBY', KEYS[1], ARGV[1]) < 0 then
  redis.call('SET', KEYS[1], '0', 'KEEPTTL')
end
return 1
