-- BudgetStore.usage: read-only. Reservations past their expiry do not count, but are left for the next
-- mutating script to drop. Returns {spent, reserved}.
local spent, reserved = counters()
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now_ms())
for _, id in ipairs(expired) do
  local amount = redis.call('HGET', KEYS[2], id)
  if amount then
    reserved = reserved - tonumber(amount)
  end
end
return {spent, reserved}
