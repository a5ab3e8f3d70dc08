// Validation against the official runtime-spec JSON schemas embedded in hull.
// Each failure becomes a ConfigError naming the JSON pointer of the offending value.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "spec/config_error.hpp"

namespace hull::spec {

// Throw ConfigError(source, pointer, "expected ...") when doc does not match the schema.
void validate_config_schema(const rapidjson::Value& doc, const std::string& source);
void validate_state_schema(const rapidjson::Value& doc, const std::string& source);
void validate_features_schema(const rapidjson::Value& doc, const std::string& source);
// A process object on its own (exec --process FILE): config-schema.json#/properties/process.
void validate_process_schema(const rapidjson::Value& doc, const std::string& source);

// The embedded schema file a `$ref` document name refers to (its directory, if any, left
// out), or "" when there is none.
std::string resolve_schema_name(std::string_view requested);

// Frees the parsed schema files; the next validation parses what it needs again.
// create calls it before cloning a container's init, which would keep a copy while it waits.
void release_schemas();

}  // namespace hull::spec
