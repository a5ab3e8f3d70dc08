// The one way hull turns JSON text into a RapidJSON document. Every text hull parses may come
// from someone else (config.json, process.json, a state directory someone else can write), so
// parsing must not recurse per nesting level: a megabyte of "[" overflowed the stack of the
// recursive parser (SIGSEGV). This one parses iteratively and refuses to nest deeper than
// kMaxDepth, which also bounds every later recursive walk of the document (the schema
// validator, Accept, the converters).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace hull::json {

// Far beyond any real config (a deep one nests about 8 levels), far below what a recursive
// walk of the document needs on an 8 MB stack.
inline constexpr unsigned kMaxDepth = 128;

// Parses text into doc. Returns "" on success; otherwise why, without naming the source:
// "invalid JSON at offset 12: Missing a comma or ']' after an array element." or
// "invalid JSON at offset 128: arrays and objects nested deeper than 128 levels".
std::string parse_into(rapidjson::Document& doc, std::string_view text);

// Throws hull::Error "<source>: <why>" (source names the file or message, e.g. "state.json").
rapidjson::Document parse(std::string_view text, const std::string& source);

}  // namespace hull::json
