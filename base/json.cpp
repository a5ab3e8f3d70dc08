#include "base/json.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "base/error.hpp"

namespace hull::json {

namespace {

using rapidjson::SizeType;

// A SAX handler between the reader and the document: counts the open arrays and objects and
// stops the reader (kParseErrorTermination) when one more would exceed kMaxDepth.
class DepthLimitedBuilder {
  public:
    explicit DepthLimitedBuilder(rapidjson::Document& doc) : doc_(doc) {}

    bool too_deep() const { return too_deep_; }

    bool Null() { return doc_.Null(); }
    bool Bool(bool b) { return doc_.Bool(b); }
    bool Int(int i) { return doc_.Int(i); }
    bool Uint(unsigned u) { return doc_.Uint(u); }
    bool Int64(std::int64_t i) { return doc_.Int64(i); }
    bool Uint64(std::uint64_t u) { return doc_.Uint64(u); }
    bool Double(double d) { return doc_.Double(d); }
    bool RawNumber(const char* s, SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
    bool String(const char* s, SizeType n, bool copy) { return doc_.String(s, n, copy); }
    bool Key(const char* s, SizeType n, bool copy) { return doc_.Key(s, n, copy); }
    bool StartObject() { return enter() && doc_.StartObject(); }
    bool EndObject(SizeType members) {
        --depth_;
        return doc_.EndObject(members);
    }
    bool StartArray() { return enter() && doc_.StartArray(); }
    bool EndArray(SizeType elements) {
        --depth_;
        return doc_.EndArray(elements);
    }

  private:
    bool enter() {
        if (depth_ == kMaxDepth) {
            too_deep_ = true;
            return false;
        }
        ++depth_;
        return true;
    }

    rapidjson::Document& doc_;
    unsigned depth_ = 0;
    bool too_deep_ = false;
};

// Document::Populate's generator: runs the iterative reader over text into the document.
struct Generator {
    std::string_view text;
    rapidjson::ParseResult result;
    bool too_deep = false;

    bool operator()(rapidjson::Document& doc) {
        rapidjson::MemoryStream memory(text.data(), text.size());
        rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(memory);
        DepthLimitedBuilder builder(doc);
        rapidjson::Reader reader;
        result = reader.Parse<rapidjson::kParseIterativeFlag>(in, builder);
        too_deep = builder.too_deep();
        return !result.IsError();
    }
};

}  // namespace

std::string parse_into(rapidjson::Document& doc, std::string_view text) {
    Generator generator{text, {}, false};
    doc.SetNull();
    doc.Populate(generator);
    if (!generator.result.IsError()) return "";
    std::string why = "invalid JSON at offset " + std::to_string(generator.result.Offset()) + ": ";
    if (generator.too_deep) {
        return why + "arrays and objects nested deeper than " + std::to_string(kMaxDepth) +
               " levels";
    }
    return why + rapidjson::GetParseError_En(generator.result.Code());
}

rapidjson::Document parse(std::string_view text, const std::string& source) {
    rapidjson::Document doc;
    std::string why = parse_into(doc, text);
    if (!why.empty()) throw Error(source + ": " + why);
    return doc;
}

}  // namespace hull::json
