-- BudgetStore.tryReserve in one step.
-- ARGV[1] reservation id, ARGV[2] amount, ARGV[3] limit, ARGV[4] reservation expiry (epoch ms),
-- ARGV[5] key expiry (epoch ms, or '' for never).
-- Returns {1 if reserved else 0, spent, reserved}: the counters after reserving, or when refused.
purge(now_ms())
local spent, reserved = counters()
local amount = tonumber(ARGV[2])
-- max(amount, 1): an exhausted budget refuses even a call estimated at nothing
if spent + reserved + math.max(amount, 1) > tonumber(ARGV[3]) then
  return {0, spent, reserved}
end
-- reserving an id again replaces its earlier amount
local previous = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or 0)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
reserved = redis.call('HINCRBY', KEYS[1], 'reserved', int(amount - previous))
redis.call('HINCRBY', KEYS[1], 'spent', 0)
expire_all(ARGV[5])
return {1, spent, reserved}
