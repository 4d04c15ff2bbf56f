-- Shared preamble of the semantic index scripts (the index prepends it to each script's body).
--
-- Keys of one scope S (one Cluster slot through the {S} hash tag):
--   KEYS[1]  hash  entry id -> record: expiry (epoch ms) and storage time (epoch us), each a
--                  little-endian double, then the entry's unit vector as little-endian float32s
--   KEYS[2]  hash  entry id -> the entry's CacheEntryCodec bytes
--
-- Time is the Redis server's (TIME), so every instance judges expiry and age by one clock. Vectors are
-- unit length (the index normalizes them), so cosine similarity is a dot product. Numbers written back
-- to Redis go through int(): Lua 5.1 prints numbers with 14 significant digits.

local HEADER = 16
local CHUNK = 64
local CHUNK_FORMAT = '<' .. string.rep('f', CHUNK)

local function int(n)
  return string.format('%d', n)
end

local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- The d float32s of s from byte position pos, as a table. struct.unpack returns one value per float,
-- so they are read CHUNK at a time to keep Lua's stack small.
local function floats(s, pos, d)
  local t = {}
  local n = 0
  while n < d do
    local k = math.min(CHUNK, d - n)
    local c = {struct.unpack(k == CHUNK and CHUNK_FORMAT or '<' .. string.rep('f', k), s, pos)}
    for i = 1, k do
      t[n + i] = c[i]
    end
    n = n + k
    pos = c[k + 1]
  end
  return t
end

-- The dot product of the query q (d numbers) and the vector of record. Unrolled 16 floats at a time:
-- struct.unpack's cost is mostly per call, and locals are cheaper than a table per chunk.
local SIXTEEN = '<' .. string.rep('f', 16)
local function dot(q, record, d)
  local unpack_floats = struct.unpack
  local sum = 0
  local pos = HEADER + 1
  local k = 0
  while k + 16 <= d do
    local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, next_pos =
        unpack_floats(SIXTEEN, record, pos)
    sum = sum + q[k + 1] * a1 + q[k + 2] * a2 + q[k + 3] * a3 + q[k + 4] * a4
        + q[k + 5] * a5 + q[k + 6] * a6 + q[k + 7] * a7 + q[k + 8] * a8
        + q[k + 9] * a9 + q[k + 10] * a10 + q[k + 11] * a11 + q[k + 12] * a12
        + q[k + 13] * a13 + q[k + 14] * a14 + q[k + 15] * a15 + q[k + 16] * a16
    k = k + 16
    pos = next_pos
  end
  while k < d do
    local a, next_pos = unpack_floats('<f', record, pos)
    k = k + 1
    sum = sum + q[k] * a
    pos = next_pos
  end
  return sum
end

-- Deletes the entries ids from both hashes, 100 at a time (unpack's results go on Lua's stack).
local function remove(ids)
  for first = 1, #ids, 100 do
    local last = math.min(first + 99, #ids)
    redis.call('HDEL', KEYS[1], unpack(ids, first, last))
    redis.call('HDEL', KEYS[2], unpack(ids, first, last))
  end
end
