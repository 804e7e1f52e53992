#pragma once

#include <QtGlobal>

#include <list>
#include <unordered_map>
#include <utility>
#include <vector>

namespace custody {

// A bounded least-recently-used cache of fixed-size chunks of table rows, keyed by chunk index (DB Browser
// for SQLite's row cache, reduced to what a table model needs). Memory stays bounded however far a person
// scrolls through a million-row version.
template<typename Chunk>
class RecordChunkCache
{
public:
    explicit RecordChunkCache(int capacity) : m_capacity(qMax(1, capacity)) { }

    int capacity() const { return m_capacity; }
    int size() const { return int(m_index.size()); }
    bool contains(qint64 chunk) const { return m_index.count(chunk) != 0; }

    // The chunk, marked as most recently used; null when absent.
    const Chunk *find(qint64 chunk)
    {
        const auto it = m_index.find(chunk);
        if (it == m_index.end())
            return nullptr;
        m_entries.splice(m_entries.begin(), m_entries, it->second);
        return &it->second->second;
    }

    // Stores (or replaces) a chunk as the most recently used one. Returns the indexes of the chunks that
    // had to make room, least recently used first.
    std::vector<qint64> insert(qint64 chunk, Chunk value)
    {
        const auto it = m_index.find(chunk);
        if (it != m_index.end()) {
            it->second->second = std::move(value);
            m_entries.splice(m_entries.begin(), m_entries, it->second);
            return {};
        }
        m_entries.emplace_front(chunk, std::move(value));
        m_index.emplace(chunk, m_entries.begin());
        std::vector<qint64> evicted;
        while (int(m_index.size()) > m_capacity) {
            evicted.push_back(m_entries.back().first);
            m_index.erase(m_entries.back().first);
            m_entries.pop_back();
        }
        return evicted;
    }

    void clear()
    {
        m_index.clear();
        m_entries.clear();
    }

private:
    using Entries = std::list<std::pair<qint64, Chunk>>;
    int m_capacity;
    Entries m_entries; // most recently used first
    std::unordered_map<qint64, typename Entries::iterator> m_index;
};

} // namespace custody
