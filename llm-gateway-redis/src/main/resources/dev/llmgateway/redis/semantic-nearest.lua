-- SemanticIndex.nearest in one step: scans the scope's vectors on the server and returns only the best.
-- ARGV[1] the query's unit vector (little-endian float32s), ARGV[2] the least similarity that matches.
-- Returns {entry bytes, similarity as text} for the most similar live entry of the same dimension if it
-- is similar enough, else an empty list. Expired entries met on the way are deleted.
local query = ARGV[1]
local d = #query / 4
local q = floats(query, 1, d)
local size = HEADER + #query
local now = math.floor(now_us() / 1000)
local records = redis.call('HGETALL', KEYS[1])
local expired = {}
local best
local best_similarity
for i = 1, #records, 2 do
  local record = records[i + 1]
  if #record < HEADER or struct.unpack('<d', record) <= now then
    expired[#expired + 1] = records[i]
  elseif #record == size then
    local similarity = dot(q, record, d)
    -- NaN is never a match
    if similarity == similarity and (best_similarity == nil or similarity > best_similarity) then
      best = records[i]
      best_similarity = similarity
    end
  end
end
remove(expired)
if best == nil or best_similarity < tonumber(ARGV[2]) then
  return {}
end
local entry = redis.call('HGET', KEYS[2], best)
if not entry then
  -- The answer is gone (evicted apart from its vector): drop the orphan so the next lookup finds the
  -- next best entry instead of missing on this one until it expires.
  remove({best})
  return {}
end
return {entry, string.format('%.17g', best_similarity)}
