// Attribute lists, events and links to and from the store's JSON text (json_text.hpp).
//
// Span, event and link attributes are written as a flat JSON array of attribute_keys ids
// and values ([3,"search",7,2]): the key text is stored once per store, not once per span,
// and the array form spares the quotes an object's keys would need (disk budget).
// Resource and scope attributes keep their keys ({"service.name":"api"}).
//
// Values: true/false; integers as JSON integers; doubles always with '.', 'e' or as
// {"f":"nan"|"inf"|"-inf"}; strings as JSON strings or {"x":"<hex>"} (not UTF-8); arrays
// tagged with their element type, so that empty arrays keep it: {"b":[..]}, {"i":[..]},
// {"d":[..]}, {"s":[..]}. Every value reads back to the same type and bits (a NaN reads
// back as the default quiet NaN).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "agtel/common/attribute.hpp"
#include "agtel/trace/span_data.hpp"

namespace agtel::store {

// Gives the id of a key (the writer interns new keys in attribute_keys).
class key_interner {
 public:
  virtual ~key_interner() = default;
  // False when the key could not be stored (an SQLite error, kept by the implementation).
  virtual bool id_of(std::string_view key, int64_t& id) = 0;
};

// Gives the key of an id (the reader looks them up and caches them).
class key_resolver {
 public:
  virtual ~key_resolver() = default;
  // False when the id is unknown (a corrupt row) or the lookup failed.
  virtual bool key_of(int64_t id, std::string& key) = 0;
};

void encode_value(const attribute_value& v, std::string& out);
// Reads one value written by encode_value from the start of `text`; false when malformed.
bool decode_value(std::string_view text, attribute_value& out);

// Appends [id,value,...], leaving out the keys in `skip`; false when interning failed.
bool encode_attributes(const attribute_list& list, key_interner& keys, std::string& out,
                       std::span<const std::string_view> skip = {});
bool decode_attributes(std::string_view text, key_resolver& keys, attribute_list& out);

// Appends {"<key>":value,...} (resources and scopes).
void encode_named_attributes(const attribute_list& list, std::string& out);
bool decode_named_attributes(std::string_view text, attribute_list& out);

// [{"n":name,"t":time,"a":{attributes},"d":dropped},...]; "" when there are no events
// (the column is then NULL).
bool encode_events(const reuse_vector<trace::span_event>& events, key_interner& keys,
                   std::string& out);
bool decode_events(std::string_view text, key_resolver& keys,
                   reuse_vector<trace::span_event>& out);

// [{"t":"<trace id hex>","s":"<span id hex>","f":flags,"ts":"tracestate","a":{..},"d":n}]
// where f holds the W3C flags, and 0x300 when the linked context is remote.
bool encode_links(const reuse_vector<trace::span_link>& links, key_interner& keys,
                  std::string& out);
bool decode_links(std::string_view text, key_resolver& keys, reuse_vector<trace::span_link>& out);

// Whether the attribute with key id `key_id` in `text` (encode_attributes' form) reads as
// `value`: strings as themselves, integers in decimal, booleans as true/false, doubles in
// their shortest form. For the reader's `key=value` filter; false on malformed text.
bool attribute_equals(std::string_view text, int64_t key_id, std::string_view value);

// The same test, prepared once per query: substrings that any matching text contains, so
// that most rows of a scan are rejected by a substring search before any parsing.
struct attribute_probe {
  int64_t key_id = 0;
  std::string value;
  std::string needles[3];  // `id,"value"`, `id,value` (numbers, booleans), `id,{` (tagged)
  size_t count = 0;
};
attribute_probe make_attribute_probe(int64_t key_id, std::string_view value);
bool attribute_equals(std::string_view text, const attribute_probe& probe);

}  // namespace agtel::store
