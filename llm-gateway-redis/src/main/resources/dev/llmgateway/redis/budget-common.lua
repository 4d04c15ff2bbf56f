-- Shared preamble of every budget script (the store prepends it to each script's body).
--
-- Keys of one budget key K (all in one Cluster slot through the {K} hash tag):
--   KEYS[1]  hash        fields 'spent' and 'reserved' (integer units)
--   KEYS[2]  hash        reservation id -> amount
--   KEYS[3]  sorted set  reservation id, scored by its expiry in epoch milliseconds
--   KEYS[4]  set         alert percents already fired
--
-- Time is the Redis server's (TIME), so every instance judges reservation expiry by one clock.
-- Amounts stay below 2^53; Lua 5.1 prints numbers with 14 significant digits, so every number
-- computed here is passed back to Redis through int(), never as a bare Lua number.

local function int(n)
  return string.format('%d', n)
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Drops the reservations whose expiry is at or before now and takes their amounts off 'reserved'.
local function purge(now)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
  if #expired == 0 then
    return
  end
  local freed = 0
  for _, id in ipairs(expired) do
    local amount = redis.call('HGET', KEYS[2], id)
    if amount then
      freed = freed + tonumber(amount)
      redis.call('HDEL', KEYS[2], id)
    end
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if freed > 0 then
    redis.call('HINCRBY', KEYS[1], 'reserved', int(-freed))
  end
end

-- The key's spent and reserved units (0 for a key never used or expired).
local function counters()
  local v = redis.call('HMGET', KEYS[1], 'spent', 'reserved')
  return tonumber(v[1]) or 0, tonumber(v[2]) or 0
end

-- Sets when every key of the budget key may be deleted: epoch milliseconds, or '' for never.
local function expire_all(at)
  for i = 1, #KEYS do
    if at == '' then
      redis.call('PERSIST', KEYS[i])
    else
      redis.call('PEXPIREAT', KEYS[i], at)
    end
  end
end
