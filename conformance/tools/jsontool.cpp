// hull_conformance_json: the JSON plumbing the bash runner needs (no python on CI hosts).
//   apply BASE CASE OCIVERSION  print BASE with CASE's "patch" applied and ociVersion set
//   get FILE POINTER            print the value at POINTER (strings raw, string arrays one per
//                               line, anything else as JSON); exit 1 if absent. FILE "-" = stdin
//   keys FILE POINTER           print the member names of the object at POINTER, one per line
// A patch is a list of RFC 6902 operations restricted to "add", "replace" and "remove";
// "add" to an array index inserts, "-" appends.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace {

using rapidjson::Document;
using rapidjson::Pointer;
using rapidjson::Value;

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "hull_conformance_json: %s\n", message.c_str());
    std::exit(2);
}

Document load(const std::string& path) {
    std::ostringstream text;
    if (path == "-") {
        text << std::cin.rdbuf();
    } else {
        std::ifstream in(path);
        if (!in) die("cannot open " + path);
        text << in.rdbuf();
    }
    Document doc;
    doc.Parse(text.str().c_str());
    if (doc.HasParseError())
        die(path + ": invalid JSON at offset " + std::to_string(doc.GetErrorOffset()));
    return doc;
}

std::string to_json(const Value& value, bool pretty) {
    rapidjson::StringBuffer buffer;
    if (pretty) {
        rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
        writer.SetIndent(' ', 2);
        value.Accept(writer);
    } else {
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        value.Accept(writer);
    }
    return buffer.GetString();
}

// Splits "/a/b/3" into the parent pointer "/a/b" and the last token "3".
std::pair<std::string, std::string> split_last(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) die("bad pointer " + path);
    return {path.substr(0, slash), path.substr(slash + 1)};
}

void apply_op(Document& doc, const Value& op) {
    if (!op.IsObject() || !op.HasMember("op") || !op.HasMember("path"))
        die("patch operation needs op and path: " + to_json(op, false));
    const std::string kind = op["op"].GetString();
    const std::string path = op["path"].GetString();
    auto& alloc = doc.GetAllocator();
    if (kind == "remove") {
        if (!Pointer(path.c_str()).Erase(doc)) die("remove: nothing at " + path);
        return;
    }
    if (!op.HasMember("value")) die(kind + " " + path + ": no value");
    Value value(op["value"], alloc);
    if (kind == "replace") {
        if (!Pointer(path.c_str()).Get(doc)) die("replace: nothing at " + path);
        Pointer(path.c_str()).Set(doc, value);
        return;
    }
    if (kind != "add") die("unsupported op " + kind);
    const auto [parent_path, last] = split_last(path);
    Value* parent = parent_path.empty() ? &doc : Pointer(parent_path.c_str()).Get(doc);
    if (parent && parent->IsArray()) {
        if (last == "-") {
            parent->PushBack(value, alloc);
            return;
        }
        const auto index = std::stoul(last);
        if (index > parent->Size()) die("add: index out of range in " + path);
        parent->PushBack(Value(), alloc);
        for (auto i = parent->Size() - 1; i > index; --i)
            (*parent)[i] = (*parent)[i - 1];
        (*parent)[static_cast<rapidjson::SizeType>(index)] = value;
        return;
    }
    Pointer(path.c_str()).Set(doc, value);
}

int apply(const std::string& base_path, const std::string& case_path, const std::string& version) {
    Document doc = load(base_path);
    const Document test = load(case_path);
    if (test.HasMember("patch")) {
        if (!test["patch"].IsArray()) die(case_path + ": patch must be a list of operations");
        for (const auto& op : test["patch"].GetArray())
            apply_op(doc, op);
    }
    doc["ociVersion"].SetString(version.c_str(), doc.GetAllocator());
    std::printf("%s\n", to_json(doc, true).c_str());
    return 0;
}

int get(const std::string& path, const std::string& pointer, bool keys) {
    const Document doc = load(path);
    const Value* value = pointer.empty() ? &doc : Pointer(pointer.c_str()).Get(doc);
    if (!value) return 1;
    if (keys) {
        if (!value->IsObject()) return 1;
        for (const auto& m : value->GetObject())
            std::printf("%s\n", m.name.GetString());
        return 0;
    }
    if (value->IsString()) {
        std::printf("%s\n", value->GetString());
    } else if (value->IsArray()) {
        for (const auto& item : value->GetArray())
            std::printf("%s\n", item.IsString() ? item.GetString() : to_json(item, false).c_str());
    } else {
        std::printf("%s\n", to_json(*value, false).c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "apply" && argc == 5) return apply(argv[2], argv[3], argv[4]);
    if ((cmd == "get" || cmd == "keys") && argc == 4) return get(argv[2], argv[3], cmd == "keys");
    std::fprintf(stderr,
                 "usage: %s apply BASE CASE VERSION | get FILE POINTER | keys FILE POINTER\n",
                 argv[0]);
    return 2;
}
