-- BudgetStore.add in one step: adds units to 'spent' without a reservation (soft budgets).
-- ARGV[1] units, ARGV[2] key expiry (epoch ms, or '' for never). Returns {spent, reserved}.
purge(now_ms())
local spent = redis.call('HINCRBY', KEYS[1], 'spent', ARGV[1])
local _, reserved = counters()
expire_all(ARGV[2])
return {spent, reserved}
