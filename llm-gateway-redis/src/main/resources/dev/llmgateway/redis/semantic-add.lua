-- SemanticIndex.add in one step.
-- ARGV[1] the unit vector (little-endian float32s), ARGV[2] the new entry's id, ARGV[3] its
-- CacheEntryCodec bytes, ARGV[4] its TTL in ms, ARGV[5] the most entries the scope keeps,
-- ARGV[6] the similarity at or above which a stored vector is the same question (it is replaced).
-- Deletes expired entries and the same question's, adds the entry, evicts the oldest (by storage time)
-- beyond the bound, and sets both keys to expire with their last entry. Returns the scope's entry count.
local vector = ARGV[1]
local d = #vector / 4
local q = floats(vector, 1, d)
local size = HEADER + #vector
local stored_us = now_us()
local now = math.floor(stored_us / 1000)
local expires = now + tonumber(ARGV[4])
local maximum = tonumber(ARGV[5])
local same = tonumber(ARGV[6])
local records = redis.call('HGETALL', KEYS[1])
local dropped = {}
local live = {}
for i = 1, #records, 2 do
  local id = records[i]
  local record = records[i + 1]
  if #record < HEADER then
    dropped[#dropped + 1] = id
  else
    local entry_expires, entry_stored = struct.unpack('<dd', record)
    if entry_expires <= now or id == ARGV[2] or (#record == size and dot(q, record, d) >= same) then
      dropped[#dropped + 1] = id
    else
      live[#live + 1] = {id, entry_stored, entry_expires}
    end
  end
end
local evicted = #live + 1 - maximum
if evicted > 0 then
  table.sort(live, function(a, b)
    if a[2] ~= b[2] then
      return a[2] < b[2]
    end
    return a[1] < b[1]
  end)
  for i = 1, evicted do
    dropped[#dropped + 1] = live[i][1]
  end
else
  evicted = 0
end
remove(dropped)
local last = expires
for i = evicted + 1, #live do
  if live[i][3] > last then
    last = live[i][3]
  end
end
redis.call('HSET', KEYS[1], ARGV[2], struct.pack('<dd', expires, stored_us) .. vector)
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIREAT', KEYS[1], int(last))
redis.call('PEXPIREAT', KEYS[2], int(last))
return #live - evicted + 1
