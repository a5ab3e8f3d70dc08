#include "spec/schema.hpp"

#include <rapidjson/internal/regex.h>
#include <rapidjson/pointer.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "base/error.hpp"
#include "spec/embedded_schemas.hpp"
#include "spec/json_pointer.hpp"

// hull walks the schema files as they are written, keyword by keyword, along the instance. A
// compiled RapidJSON SchemaDocument compiled every object of every file that config-schema.json
// reaches (all seven platforms' sections) before the first value was checked: 4.9M of the
// 9.3M instructions of `hull run` (callgrind), and about 0.7 MB of heap. Walking costs what the
// config holds, and the failing keyword and schema are known where they fail.

namespace hull::spec {

namespace {

using rapidjson::SizeType;
using rapidjson::Value;

// The keywords hull checks, and those that check nothing. A schema with any other keyword is
// refused when a validation first reaches it, rather than half-applied.
constexpr std::array kKeywords = {
    "$ref",
    "$schema",
    "id",
    "description",
    "title",
    "default",
    "definitions",
    "format",
    "type",
    "enum",
    "properties",
    "patternProperties",
    "additionalProperties",
    "required",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "pattern",
    "minLength",
    "maxLength",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
};

// Every keyword of every schema in a file must be one hull checks or one that checks nothing.
void audit_keywords(const Value& schema, const std::string& doc) {
    if (!schema.IsObject()) return;
    for (const auto& m : schema.GetObject()) {
        std::string_view key(m.name.GetString(), m.name.GetStringLength());
        if (std::find(kKeywords.begin(), kKeywords.end(), key) == kKeywords.end())
            throw Error("schema " + doc + " uses the keyword \"" + std::string(key) +
                        "\", which hull does not implement");
        const Value& v = m.value;
        if (key == "properties" || key == "patternProperties" || key == "definitions") {
            if (v.IsObject())
                for (const auto& child : v.GetObject())
                    audit_keywords(child.value, doc);
        } else if (key == "items" || key == "allOf" || key == "anyOf" || key == "oneOf") {
            if (v.IsArray())
                for (const auto& child : v.GetArray())
                    audit_keywords(child, doc);
            else
                audit_keywords(v, doc);
        } else if (key == "additionalProperties" || key == "not") {
            audit_keywords(v, doc);
        }
    }
}

// The schema files, each parsed when a reference first reaches it.
class Sources {
  public:
    // The parsed file, or nullptr when hull embeds no file of that name.
    const Value* get(const std::string& name) {
        auto it = docs_.find(name);
        if (it != docs_.end()) return &it->second;
        for (const auto& schema : embedded_schemas()) {
            if (schema.name != name) continue;
            rapidjson::Document& doc = docs_[name];
            doc.Parse(schema.text.data(), schema.text.size());
            if (doc.HasParseError()) throw Error("embedded schema " + name + " is not valid JSON");
            return &doc;
        }
        return nullptr;
    }

    // Checks the keywords of a schema that a reference (or a validation) starts at, and of
    // the schemas inside it, once.
    void audit(const Value& schema, const std::string& doc) {
        if (audited_.insert(&schema).second) audit_keywords(schema, doc);
    }

  private:
    std::map<std::string, rapidjson::Document> docs_;
    std::set<const Value*> audited_;
};

// Held by a unique_ptr so that release_schemas() can give the memory back.
std::unique_ptr<Sources>& sources_slot() {
    static std::unique_ptr<Sources> slot;
    return slot;
}

Sources& sources() {
    auto& slot = sources_slot();
    if (!slot) slot = std::make_unique<Sources>();
    return *slot;
}

// A schema inside one of the files.
struct Located {
    std::string doc;  // schema file name
    const Value* schema = nullptr;
    std::string definition;  // name of the last "#/definitions/X" followed, for messages
};

Located at(const std::string& doc, const std::string& pointer) {
    const Value* source = sources().get(doc);
    if (!source) throw Error("schema " + doc + " is not embedded in hull");
    rapidjson::Pointer p(pointer.c_str());
    const Value* schema = p.IsValid() ? p.Get(*source) : nullptr;
    if (!schema) throw Error("schema " + doc + " has nothing at " + pointer);
    sources().audit(*schema, doc);
    return {doc, schema, ""};
}

// Follows a "$ref" chain. A reference that leads nowhere is hull's own defect and fails the
// validation: an unresolved reference would accept anything.
Located resolve(Located loc) {
    for (int depth = 0; loc.schema->IsObject(); ++depth) {
        auto it = loc.schema->FindMember("$ref");
        if (it == loc.schema->MemberEnd()) break;
        if (depth == 32 || !it->value.IsString())
            throw Error("schema " + loc.doc + ": a $ref that is not a string, or a cycle");
        std::string ref = it->value.GetString();
        auto hash = ref.find('#');
        std::string file = hash == std::string::npos ? ref : ref.substr(0, hash);
        std::string fragment = hash == std::string::npos ? "" : ref.substr(hash + 1);
        std::string doc = file.empty() ? loc.doc : resolve_schema_name(file);
        if (doc.empty()) throw Error("schema " + loc.doc + ": $ref " + ref + " names no schema");
        const std::string defs = "/definitions/";
        std::string definition = loc.definition;
        if (fragment.rfind(defs, 0) == 0) definition = fragment.substr(defs.size());
        loc = at(doc, fragment);
        loc.definition = definition;
    }
    return loc;
}

// A subschema of loc: a member's, an item's or a branch's. Combinator branches keep the
// definition name; a member's or item's schema has its own.
Located sub(const Located& loc, const Value& schema, bool keep_definition = false) {
    return {loc.doc, &schema, keep_definition ? loc.definition : ""};
}

std::string type_name(const Value& v) {
    switch (v.GetType()) {
        case rapidjson::kNullType:
            return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType:
            return "boolean";
        case rapidjson::kObjectType:
            return "object";
        case rapidjson::kArrayType:
            return "array";
        case rapidjson::kStringType:
            return "string";
        case rapidjson::kNumberType:
            return v.IsInt64() || v.IsUint64() ? "integer" : "number";
    }
    return "value";
}

bool has_type(const Value& v, const std::string& type) {
    if (type == "number") return v.IsNumber();
    if (type == "integer") return v.IsInt64() || v.IsUint64();
    return type_name(v) == type;
}

std::string show(const Value& v) {
    if (v.IsString()) return std::string("\"") + v.GetString() + "\"";
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsNumber()) return std::to_string(v.GetDouble());
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    return type_name(v);
}

// a < b, exactly for any two integers (uint64's maximum included), else as doubles.
bool less(const Value& a, const Value& b) {
    const bool integers = (a.IsInt64() || a.IsUint64()) && (b.IsInt64() || b.IsUint64());
    if (!integers) return a.GetDouble() < b.GetDouble();
    // An integer that is no uint64 is negative.
    const bool a_negative = !a.IsUint64();
    const bool b_negative = !b.IsUint64();
    if (a_negative != b_negative) return a_negative;
    return a_negative ? a.GetInt64() < b.GetInt64() : a.GetUint64() < b.GetUint64();
}

std::size_t code_points(const Value& s) {
    std::size_t n = 0;
    for (SizeType i = 0; i < s.GetStringLength(); ++i)
        if ((static_cast<unsigned char>(s.GetString()[i]) & 0xC0) != 0x80) ++n;
    return n;
}

// "NamespaceType" -> "namespace type": the schema's definition name makes a readable noun.
std::string noun(const std::string& definition) {
    if (definition.empty()) return "value";
    std::string out;
    for (std::size_t i = 0; i < definition.size(); ++i) {
        char c = definition[i];
        if (c >= 'A' && c <= 'Z') {
            if (i > 0) out += ' ';
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            out += c;
        }
    }
    return out;
}

struct Failure {
    std::string pointer;
    std::string message;
};

class Validator {
  public:
    // The first failure in document order; for a combinator, its branches' deepest one.
    std::optional<Failure> check(Located loc, const Value& value, const std::string& pointer) {
        loc = resolve(loc);
        if (!loc.schema->IsObject()) return std::nullopt;
        const Value& s = *loc.schema;
        if (auto rule = member(s, "type"); rule && !type_matches(*rule, value))
            return Failure{pointer,
                           "expected " + expected_types(*rule) + ", got " + type_name(value)};
        if (auto rule = member(s, "enum"); rule && !in_enum(*rule, value))
            return Failure{pointer, enum_message(loc, *rule, value, pointer)};
        if (value.IsNumber())
            if (auto f = check_range(s, value, pointer)) return f;
        if (value.IsString())
            if (auto f = check_string(s, value, pointer)) return f;
        if (value.IsObject())
            if (auto f = check_object(loc, value, pointer)) return f;
        if (value.IsArray())
            if (auto f = check_array(loc, value, pointer)) return f;
        return check_combinators(loc, value, pointer);
    }

  private:
    static const Value* member(const Value& s, const char* name) {
        auto it = s.FindMember(name);
        return it == s.MemberEnd() ? nullptr : &it->value;
    }

    static bool type_matches(const Value& rule, const Value& value) {
        if (rule.IsString()) return has_type(value, rule.GetString());
        if (rule.IsArray())
            for (const auto& t : rule.GetArray())
                if (t.IsString() && has_type(value, t.GetString())) return true;
        return false;
    }

    static std::string expected_types(const Value& rule) {
        if (rule.IsString()) return rule.GetString();
        std::string expected;
        if (rule.IsArray()) {
            for (const auto& t : rule.GetArray()) {
                if (!expected.empty()) expected += " or ";
                expected += t.IsString() ? t.GetString() : "?";
            }
        }
        return expected;
    }

    static bool in_enum(const Value& rule, const Value& value) {
        if (!rule.IsArray()) return false;
        for (const auto& allowed : rule.GetArray())
            if (allowed == value) return true;
        return false;
    }

    static std::string enum_message(const Located& loc, const Value& rule, const Value& value,
                                    const std::string& pointer) {
        std::vector<std::string> allowed;
        for (const auto& e : rule.GetArray())
            allowed.push_back(e.IsString() ? e.GetString() : show(e));
        std::sort(allowed.begin(), allowed.end());
        std::string list;
        for (const auto& a : allowed)
            list += (list.empty() ? "" : ", ") + a;
        std::string what = noun(loc.definition);
        if (loc.definition.empty()) {
            // An inline enum: the member's own name ("class", "status") is the best noun.
            auto slash = pointer.rfind('/');
            std::string last = slash == std::string::npos ? "" : pointer.substr(slash + 1);
            if (!last.empty() && !std::isdigit(static_cast<unsigned char>(last[0]))) what = last;
        }
        return "unknown " + what + " " + show(value) + " (expected one of: " + list + ")";
    }

    static std::optional<Failure> check_range(const Value& s, const Value& value,
                                              const std::string& pointer) {
        for (bool minimum : {true, false}) {
            const Value* bound = member(s, minimum ? "minimum" : "maximum");
            if (!bound || !bound->IsNumber()) continue;
            const Value* ex = member(s, minimum ? "exclusiveMinimum" : "exclusiveMaximum");
            bool exclusive = ex && ex->IsBool() && ex->GetBool();
            const Value& low = minimum ? *bound : value;
            const Value& high = minimum ? value : *bound;
            bool ok = exclusive ? less(low, high) : !less(high, low);
            if (ok) continue;
            std::string rel = minimum ? (exclusive ? ">" : ">=") : (exclusive ? "<" : "<=");
            return Failure{pointer, "value " + show(value) + " out of range (expected " + rel +
                                        " " + show(*bound) + ")"};
        }
        return std::nullopt;
    }

    std::optional<Failure> check_string(const Value& s, const Value& value,
                                        const std::string& pointer) {
        if (const Value* pattern = member(s, "pattern"); pattern && pattern->IsString()) {
            if (!regex(*pattern).Search(value.GetString()))
                return Failure{pointer, show(value) + " does not match the expected pattern " +
                                            pattern->GetString()};
        }
        if (const Value* n = member(s, "minLength");
            n && n->IsUint64() && code_points(value) < n->GetUint64())
            return Failure{pointer, "expected at least " + show(*n) + " character(s)"};
        if (const Value* n = member(s, "maxLength");
            n && n->IsUint64() && code_points(value) > n->GetUint64())
            return Failure{pointer, "expected at most " + show(*n) + " character(s)"};
        return std::nullopt;
    }

    std::optional<Failure> check_object(const Located& loc, const Value& value,
                                        const std::string& pointer) {
        const Value& s = *loc.schema;
        const Value* properties = member(s, "properties");
        const Value* patterns = member(s, "patternProperties");
        const Value* additional = member(s, "additionalProperties");
        for (const auto& m : value.GetObject()) {
            std::string child = json_pointer_key(pointer, m.name.GetString());
            bool matched = false;
            if (properties && properties->IsObject()) {
                if (const Value* p = member(*properties, m.name.GetString())) {
                    matched = true;
                    if (auto f = check(sub(loc, *p), m.value, child)) return f;
                }
            }
            if (patterns && patterns->IsObject()) {
                for (const auto& p : patterns->GetObject()) {
                    if (!regex(p.name).Search(m.name.GetString())) continue;
                    matched = true;
                    if (auto f = check(sub(loc, p.value), m.value, child)) return f;
                }
            }
            if (matched || !additional) continue;
            if (additional->IsFalse()) return Failure{child, "unexpected member"};
            if (auto f = check(sub(loc, *additional), m.value, child)) return f;
        }
        if (const Value* required = member(s, "required"); required && required->IsArray()) {
            for (const auto& r : required->GetArray())
                if (r.IsString() && !value.HasMember(r.GetString()))
                    return Failure{json_pointer_key(pointer, r.GetString()),
                                   "required member missing"};
        }
        return std::nullopt;
    }

    std::optional<Failure> check_array(const Located& loc, const Value& value,
                                       const std::string& pointer) {
        const Value& s = *loc.schema;
        if (const Value* items = member(s, "items")) {
            for (SizeType i = 0; i < value.Size(); ++i) {
                const Value* schema =
                    items->IsArray() ? (i < items->Size() ? &(*items)[i] : nullptr) : items;
                if (!schema) break;
                if (auto f = check(sub(loc, *schema), value[i], json_pointer_index(pointer, i)))
                    return f;
            }
        }
        if (const Value* n = member(s, "minItems");
            n && n->IsUint64() && value.Size() < n->GetUint64())
            return Failure{pointer, "expected at least " + show(*n) + " item(s)"};
        if (const Value* n = member(s, "maxItems");
            n && n->IsUint64() && value.Size() > n->GetUint64())
            return Failure{pointer, "expected at most " + show(*n) + " item(s)"};
        return std::nullopt;
    }

    // A failing anyOf, allOf or oneOf says nothing by itself about why: the deepest failure of
    // its branches names the value that is actually wrong.
    std::optional<Failure> check_combinators(const Located& loc, const Value& value,
                                             const std::string& pointer) {
        const Value& s = *loc.schema;
        for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
            const Value* branches = member(s, keyword);
            if (!branches || !branches->IsArray()) continue;
            const std::string_view which = keyword;
            std::optional<Failure> deepest;
            int matched = 0;
            for (const auto& branch : branches->GetArray()) {
                auto f = check(sub(loc, branch, true), value, pointer);
                if (!f) {
                    ++matched;
                    continue;
                }
                if (!deepest || f->pointer.size() > deepest->pointer.size()) deepest = f;
            }
            if (which == "allOf" && deepest) return deepest;
            if (which != "allOf" && matched == 0)
                return deepest ? deepest
                               : Failure{pointer, "does not match any allowed form (" +
                                                      std::string(which) + ")"};
            if (which == "oneOf" && matched > 1)
                return Failure{pointer, "matches more than one allowed form (oneOf)"};
        }
        if (const Value* negated = member(s, "not")) {
            if (!check(sub(loc, *negated, true), value, pointer))
                return Failure{pointer, "matches a form that is not allowed (not)"};
        }
        return std::nullopt;
    }

    const rapidjson::internal::Regex& regex(const Value& pattern) {
        auto& compiled = regexes_[&pattern];
        if (!compiled) {
            compiled = std::make_unique<rapidjson::internal::Regex>(pattern.GetString());
            if (!compiled->IsValid())
                throw Error(std::string("schema pattern ") + pattern.GetString() +
                            " is not a regular expression hull understands");
        }
        return *compiled;
    }

    std::map<const Value*, std::unique_ptr<rapidjson::internal::Regex>> regexes_;
};

void validate(const Located& root, const Value& doc, const std::string& source) {
    if (auto failure = Validator().check(root, doc, "")) {
        throw ConfigError(source, failure->pointer, failure->message);
    }
}

}  // namespace

std::string resolve_schema_name(std::string_view requested) {
    // A full URI may carry a directory; only the file name identifies the schema.
    auto slash = requested.rfind('/');
    if (slash != std::string_view::npos) requested = requested.substr(slash + 1);
    for (const auto& schema : embedded_schemas())
        if (schema.name == requested) return std::string(schema.name);
    return "";
}

void validate_config_schema(const rapidjson::Value& doc, const std::string& source) {
    validate(at("config-schema.json", ""), doc, source);
}

void validate_state_schema(const rapidjson::Value& doc, const std::string& source) {
    validate(at("state-schema.json", ""), doc, source);
}

void validate_features_schema(const rapidjson::Value& doc, const std::string& source) {
    validate(at("features-schema.json", ""), doc, source);
}

void validate_process_schema(const rapidjson::Value& doc, const std::string& source) {
    validate(at("config-schema.json", "/properties/process"), doc, source);
}

void release_schemas() {
    sources_slot().reset();
}

}  // namespace hull::spec
