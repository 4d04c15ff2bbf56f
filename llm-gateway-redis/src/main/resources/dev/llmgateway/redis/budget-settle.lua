-- BudgetStore.settle in one step: removes the reservation if it is still held (an expired one was
-- already dropped, and settling twice never releases twice) and adds the actual units to 'spent'.
-- ARGV[1] reservation id, ARGV[2] actual units, ARGV[3] key expiry (epoch ms, or '' for never).
-- Returns {spent, reserved} afterwards.
purge(now_ms())
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'reserved', int(-tonumber(held)))
end
local spent = redis.call('HINCRBY', KEYS[1], 'spent', ARGV[2])
local _, reserved = counters()
expire_all(ARGV[3])
return {spent, reserved}
