-- BudgetStore.markAlert in one step. ARGV[1] percent, ARGV[2] key expiry (epoch ms, or '' for never).
-- Returns 1 for the first call with this key and percent, else 0.
local added = redis.call('SADD', KEYS[4], ARGV[1])
expire_all(ARGV[2])
return added
