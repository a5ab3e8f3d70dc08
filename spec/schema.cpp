#include "spec/schema.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "spec/embedded_schemas.hpp"
#include "spec/json_pointer.hpp"

namespace hull::spec {

namespace {

using rapidjson::Document;
using rapidjson::SchemaDocument;
using rapidjson::SchemaValidator;
using rapidjson::SizeType;
using rapidjson::Value;

// The parsed and compiled schema files. Built completely by the constructor (compiling a
// document compiles the documents it references first), immutable afterwards.
class Registry : public rapidjson::IRemoteSchemaDocumentProvider {
  public:
    Registry() {
        for (const auto& schema : embedded_schemas()) {
            auto& entry = entries_[std::string(schema.name)];
            entry.source.Parse(schema.text.data(), schema.text.size());
        }
        for (auto& [name, entry] : entries_) {
            if (!entry.source.HasParseError()) compile(name);
        }
        building_ = false;
        process_source_.Parse(R"({"$ref":"config-schema.json#/properties/process"})");
        process_ = std::make_unique<SchemaDocument>(process_source_, this);
    }

    const SchemaDocument* GetRemoteDocument(const char* uri, SizeType length) override {
        std::string name = resolve_schema_name(std::string_view(uri, length));
        if (name.empty()) return nullptr;
        auto it = entries_.find(name);
        if (it == entries_.end()) return nullptr;
        if (!it->second.compiled && building_) compile(name);
        return it->second.compiled.get();
    }

    const SchemaDocument& get(const std::string& name) const {
        auto it = entries_.find(name);
        if (it == entries_.end() || !it->second.compiled) {
            throw Error("embedded schema " + name + " is missing or invalid");
        }
        return *it->second.compiled;
    }

    const SchemaDocument& process() const { return *process_; }

    // The raw JSON of a schema file, for describing failures.
    const Value* source(const std::string& name) const {
        auto it = entries_.find(name);
        return it == entries_.end() ? nullptr : &it->second.source;
    }

  private:
    struct Entry {
        Document source;
        std::unique_ptr<SchemaDocument> compiled;
        bool compiling = false;
    };

    void compile(const std::string& name) {
        auto& entry = entries_.at(name);
        if (entry.compiled || entry.compiling) return;  // done, or a reference cycle
        entry.compiling = true;
        entry.compiled = std::make_unique<SchemaDocument>(entry.source, this);
        entry.compiling = false;
    }

    std::map<std::string, Entry> entries_;
    bool building_ = true;
    Document process_source_;
    std::unique_ptr<SchemaDocument> process_;
};

// Held by a unique_ptr rather than a plain static so that release_schemas() can give the
// memory back (hull is single-threaded; nothing validates concurrently).
std::unique_ptr<Registry>& registry_slot() {
    static std::unique_ptr<Registry> slot;
    return slot;
}

Registry& registry() {
    auto& slot = registry_slot();
    if (!slot) slot = std::make_unique<Registry>();
    return *slot;
}

std::string pointer_string(const rapidjson::Pointer& p) {
    rapidjson::StringBuffer buf;
    p.Stringify(buf);
    return buf.GetString();
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

std::string show(const Value& v) {
    if (v.IsString()) return std::string("\"") + v.GetString() + "\"";
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsNumber()) return std::to_string(v.GetDouble());
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    return type_name(v);
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

struct Located {
    std::string doc;      // schema file name
    std::string pointer;  // JSON pointer inside it
    const Value* schema = nullptr;
    std::string definition;  // name of the last "#/definitions/X" followed, for messages
};

Located at(const std::string& doc, const std::string& pointer) {
    Located loc{doc, pointer, nullptr, ""};
    const Value* src = registry().source(doc);
    rapidjson::Pointer p(pointer.c_str());
    if (src && p.IsValid()) loc.schema = p.Get(*src);
    return loc;
}

// Follows "$ref" chains textually. RapidJSON 1.1.0 reports the failing schema's pointer only
// for schemas of the root document (empty for everything reached through a remote $ref), so
// hull finds the failing schema itself by walking the schema files along the instance pointer.
Located resolve(Located loc) {
    for (int depth = 0; depth < 32 && loc.schema && loc.schema->IsObject(); ++depth) {
        auto it = loc.schema->FindMember("$ref");
        if (it == loc.schema->MemberEnd() || !it->value.IsString()) break;
        std::string ref = it->value.GetString();
        auto hash = ref.find('#');
        std::string file = hash == std::string::npos ? ref : ref.substr(0, hash);
        std::string fragment = hash == std::string::npos ? "" : ref.substr(hash + 1);
        std::string doc = file.empty() ? loc.doc : resolve_schema_name(file);
        const std::string defs = "/definitions/";
        std::string definition = loc.definition;
        if (fragment.rfind(defs, 0) == 0) definition = fragment.substr(defs.size());
        loc = at(doc, fragment);
        loc.definition = definition;
    }
    return loc;
}

// The schema and, recursively, the branches of its combinators: every schema that applies
// to the same instance value.
void expand(const Located& start, std::vector<Located>& out, int depth = 0) {
    Located loc = resolve(start);
    if (!loc.schema || !loc.schema->IsObject() || depth > 16) return;
    out.push_back(loc);
    for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
        auto it = loc.schema->FindMember(combinator);
        if (it == loc.schema->MemberEnd() || !it->value.IsArray()) continue;
        for (SizeType i = 0; i < it->value.Size(); ++i) {
            Located branch = at(loc.doc, loc.pointer + "/" + combinator + "/" + std::to_string(i));
            branch.definition = loc.definition;
            expand(branch, out, depth + 1);
        }
    }
}

// The schemas that apply to the instance value at doc_pointer, starting from root.
std::vector<Located> schemas_at(const Located& root, const Value& instance,
                                const rapidjson::Pointer& doc_pointer) {
    std::vector<Located> current;
    expand(root, current);
    const Value* value = &instance;
    for (SizeType t = 0; t < doc_pointer.GetTokenCount(); ++t) {
        const auto& token = doc_pointer.GetTokens()[t];
        std::string name(token.name, token.length);
        std::vector<Located> next;
        for (const auto& loc : current) {
            const Value& s = *loc.schema;
            if (value->IsObject()) {
                auto props = s.FindMember("properties");
                if (props != s.MemberEnd() && props->value.IsObject() &&
                    props->value.HasMember(name.c_str())) {
                    expand(at(loc.doc, loc.pointer + "/properties/" + json_pointer_escape(name)),
                           next);
                    continue;
                }
                auto patterns = s.FindMember("patternProperties");
                if (patterns != s.MemberEnd() && patterns->value.IsObject()) {
                    for (const auto& m : patterns->value.GetObject()) {
                        expand(at(loc.doc, loc.pointer + "/patternProperties/" +
                                               json_pointer_escape(m.name.GetString())),
                               next);
                    }
                }
                if (s.HasMember("additionalProperties") && s["additionalProperties"].IsObject()) {
                    expand(at(loc.doc, loc.pointer + "/additionalProperties"), next);
                }
            } else if (value->IsArray()) {
                auto items = s.FindMember("items");
                if (items == s.MemberEnd()) continue;
                if (items->value.IsObject()) {
                    expand(at(loc.doc, loc.pointer + "/items"), next);
                } else if (items->value.IsArray() && token.index < items->value.Size()) {
                    expand(at(loc.doc, loc.pointer + "/items/" + std::to_string(token.index)),
                           next);
                }
            }
        }
        current = std::move(next);
        if (value->IsObject()) {
            auto it = value->FindMember(name.c_str());
            if (it == value->MemberEnd()) return {};
            value = &it->value;
        } else if (value->IsArray() && token.index < value->Size()) {
            value = &(*value)[token.index];
        } else {
            return {};
        }
    }
    return current;
}

std::optional<Failure> check(const SchemaDocument& schema, const Value& instance,
                             const Located& root, int depth);

// Validates instance against the schema at loc alone (through a one-line wrapper schema).
std::optional<Failure> check_against(const Located& loc, const Value& instance, int depth) {
    // A $ref fragment is a URI fragment: characters such as '{' must be percent-encoded.
    std::string ref = loc.doc + "#";
    for (unsigned char c : loc.pointer) {
        if (std::isalnum(c) || std::strchr("/-._~", c)) {
            ref += static_cast<char>(c);
        } else {
            static const char* hex = "0123456789ABCDEF";
            ref += '%';
            ref += hex[c >> 4];
            ref += hex[c & 15];
        }
    }
    Document wrapper;
    wrapper.SetObject();
    wrapper.AddMember("$ref", Value(ref.c_str(), wrapper.GetAllocator()), wrapper.GetAllocator());
    SchemaDocument sub(wrapper, &registry());
    return check(sub, instance, loc, depth + 1);
}

// A failing anyOf/allOf/oneOf says nothing about why; validating against each branch on its
// own finds the value that is actually wrong.
std::optional<Failure> explain_combinator(const Located& loc, const std::string& keyword,
                                          const Value& instance, int depth) {
    const Value& branches = (*loc.schema)[keyword.c_str()];
    if (!branches.IsArray()) return std::nullopt;
    std::optional<Failure> best;
    for (SizeType i = 0; i < branches.Size(); ++i) {
        Located branch =
            resolve(at(loc.doc, loc.pointer + "/" + keyword + "/" + std::to_string(i)));
        if (!branch.schema) continue;
        auto failure = check_against(branch, instance, depth);
        if (!failure) {
            if (keyword != "allOf") return std::nullopt;  // a matching branch
            continue;
        }
        if (!best || failure->pointer.size() > best->pointer.size()) best = failure;
    }
    return best;
}

Failure describe(const SchemaValidator& validator, const Value& instance, const Located& root,
                 int depth) {
    std::string doc_pointer = pointer_string(validator.GetInvalidDocumentPointer());
    std::string keyword = validator.GetInvalidSchemaKeyword();
    const Value* value = validator.GetInvalidDocumentPointer().Get(instance);
    Located loc;
    auto candidates = schemas_at(root, instance, validator.GetInvalidDocumentPointer());
    for (const auto& candidate : candidates) {
        if (candidate.schema->HasMember(keyword.c_str())) {
            loc = candidate;
            break;
        }
    }
    if (value && !loc.schema && depth < 8) {
        // Reported on a member (patternProperties, additionalProperties): the member's own
        // schemas say what is wrong with it.
        for (const auto& candidate : candidates) {
            if (auto inner = check_against(candidate, *value, depth)) {
                return {doc_pointer + inner->pointer, inner->message};
            }
        }
    }
    if (!value || !loc.schema) return {doc_pointer, "does not match the schema (" + keyword + ")"};
    const Value& rule = (*loc.schema)[keyword.c_str()];

    if (keyword == "anyOf" || keyword == "allOf" || keyword == "oneOf") {
        if (auto inner =
                depth < 8 ? explain_combinator(loc, keyword, *value, depth) : std::nullopt) {
            return {doc_pointer + inner->pointer, inner->message};
        }
        return {doc_pointer, "does not match any allowed form (" + keyword + ")"};
    }
    if (keyword == "type") {
        std::string expected;
        if (rule.IsString()) {
            expected = rule.GetString();
        } else if (rule.IsArray()) {
            for (const auto& t : rule.GetArray()) {
                if (!expected.empty()) expected += " or ";
                expected += t.IsString() ? t.GetString() : "?";
            }
        }
        return {doc_pointer, "expected " + expected + ", got " + type_name(*value)};
    }
    if (keyword == "enum") {
        std::vector<std::string> allowed;
        if (rule.IsArray()) {
            for (const auto& e : rule.GetArray()) {
                allowed.push_back(e.IsString() ? e.GetString() : show(e));
            }
        }
        std::sort(allowed.begin(), allowed.end());
        std::string list;
        for (const auto& a : allowed)
            list += (list.empty() ? "" : ", ") + a;
        std::string what = noun(loc.definition);
        if (loc.definition.empty()) {
            // An inline enum: the member's own name ("class", "status") is the best noun.
            auto slash = doc_pointer.rfind('/');
            std::string last = slash == std::string::npos ? "" : doc_pointer.substr(slash + 1);
            if (!last.empty() && !std::isdigit(static_cast<unsigned char>(last[0]))) what = last;
        }
        return {doc_pointer,
                "unknown " + what + " " + show(*value) + " (expected one of: " + list + ")"};
    }
    if (keyword == "required") {
        if (rule.IsArray() && value->IsObject()) {
            for (const auto& r : rule.GetArray()) {
                if (r.IsString() && !value->HasMember(r.GetString())) {
                    return {json_pointer_key(doc_pointer, r.GetString()),
                            "required member missing"};
                }
            }
        }
        return {doc_pointer, "required member missing"};
    }
    if (keyword == "pattern") {
        return {doc_pointer, show(*value) + " does not match the expected pattern " +
                                 (rule.IsString() ? rule.GetString() : std::string("?"))};
    }
    if (keyword == "minimum" || keyword == "maximum") {
        bool exclusive = false;
        std::string ex = keyword == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum";
        if (loc.schema->HasMember(ex.c_str()) && (*loc.schema)[ex.c_str()].IsBool()) {
            exclusive = (*loc.schema)[ex.c_str()].GetBool();
        }
        std::string rel =
            keyword == "minimum" ? (exclusive ? ">" : ">=") : (exclusive ? "<" : "<=");
        return {doc_pointer, "value " + show(*value) + " out of range (expected " + rel + " " +
                                 show(rule) + ")"};
    }
    if (keyword == "minItems") {
        return {doc_pointer, "expected at least " + show(rule) + " item(s)"};
    }
    if (keyword == "maxItems") {
        return {doc_pointer, "expected at most " + show(rule) + " item(s)"};
    }
    if (keyword == "additionalProperties") {
        return {doc_pointer, "unexpected member"};
    }
    return {doc_pointer, "does not match the schema (" + keyword + ")"};
}

std::optional<Failure> check(const SchemaDocument& schema, const Value& instance,
                             const Located& root, int depth) {
    SchemaValidator validator(schema);
    if (instance.Accept(validator)) return std::nullopt;
    return describe(validator, instance, root, depth);
}

void validate(const SchemaDocument& schema, const Value& doc, const std::string& source,
              const Located& root) {
    if (auto failure = check(schema, doc, root, 0)) {
        throw ConfigError(source, failure->pointer, failure->message);
    }
}

}  // namespace

std::string resolve_schema_name(std::string_view requested) {
    // A full URI may carry a directory; only the file name identifies the schema.
    auto slash = requested.rfind('/');
    if (slash != std::string_view::npos) requested = requested.substr(slash + 1);
    if (requested.empty()) return "";
    std::string truncated_match;
    for (const auto& schema : embedded_schemas()) {
        if (schema.name == requested) return std::string(schema.name);
        if (schema.name.size() == requested.size() + 1 &&
            schema.name.substr(0, requested.size()) == requested) {
            truncated_match = std::string(schema.name);
        }
    }
    return truncated_match;
}

void validate_config_schema(const rapidjson::Value& doc, const std::string& source) {
    validate(registry().get("config-schema.json"), doc, source, at("config-schema.json", ""));
}

void validate_state_schema(const rapidjson::Value& doc, const std::string& source) {
    validate(registry().get("state-schema.json"), doc, source, at("state-schema.json", ""));
}

void validate_features_schema(const rapidjson::Value& doc, const std::string& source) {
    validate(registry().get("features-schema.json"), doc, source, at("features-schema.json", ""));
}

void validate_process_schema(const rapidjson::Value& doc, const std::string& source) {
    validate(registry().process(), doc, source, at("config-schema.json", "/properties/process"));
}

void release_schemas() {
    registry_slot().reset();
}

}  // namespace hull::spec
