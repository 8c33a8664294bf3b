#include "controlplane/zone/dname.h"

#include <cctype>

namespace ringcast::zone::dname {

namespace {

bool plain_char(uint8_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '*';
}

} // namespace

std::string to_presentation(Name name) {
    if (name.size() <= 1) return ".";
    std::string out;
    out.reserve(name.size() + 8);
    for (size_t pos = 0; pos < name.size() && name[pos] != 0; pos += 1u + name[pos]) {
        for (size_t i = 1; i <= name[pos]; ++i) {
            const uint8_t c = name[pos + i];
            if (plain_char(c)) {
                out.push_back(static_cast<char>(c));
            } else if (c > 0x20 && c < 0x7f) {
                out.push_back('\\');
                out.push_back(static_cast<char>(c));
            } else {
                out.push_back('\\');
                out.push_back(static_cast<char>('0' + c / 100));
                out.push_back(static_cast<char>('0' + c / 10 % 10));
                out.push_back(static_cast<char>('0' + c % 10));
            }
        }
        out.push_back('.');
    }
    return out;
}

bool from_presentation(std::string_view text, std::vector<uint8_t>& out, std::string& error) {
    out.clear();
    if (text == ".") {
        out.push_back(0);
        return true;
    }
    if (text.empty()) {
        error = "empty name";
        return false;
    }
    std::vector<uint8_t> label;
    auto close_label = [&]() {
        if (label.empty()) {
            error = "empty label";
            return false;
        }
        if (label.size() > kMaxLabelLength) {
            error = "label longer than 63 bytes";
            return false;
        }
        out.push_back(static_cast<uint8_t>(label.size()));
        out.insert(out.end(), label.begin(), label.end());
        label.clear();
        return true;
    };
    bool ends_with_dot = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        ends_with_dot = false;
        if (c == '.') {
            if (!close_label()) return false;
            ends_with_dot = true;
        } else if (c == '\\') {
            if (i + 1 >= text.size()) {
                error = "dangling escape";
                return false;
            }
            if (std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
                if (i + 3 >= text.size()) {
                    error = "short \\DDD escape";
                    return false;
                }
                unsigned value = 0;
                for (size_t d = 1; d <= 3; ++d) {
                    if (!std::isdigit(static_cast<unsigned char>(text[i + d]))) {
                        error = "short \\DDD escape";
                        return false;
                    }
                    value = value * 10 + static_cast<unsigned>(text[i + d] - '0');
                }
                if (value > 255) {
                    error = "\\DDD escape above 255";
                    return false;
                }
                label.push_back(static_cast<uint8_t>(value));
                i += 3;
            } else {
                label.push_back(static_cast<uint8_t>(text[i + 1]));
                ++i;
            }
        } else {
            label.push_back(static_cast<uint8_t>(c));
        }
    }
    if (!ends_with_dot && !close_label()) return false;
    out.push_back(0);
    if (out.size() > kMaxNameLength) {
        error = "name longer than 255 bytes";
        return false;
    }
    return true;
}

} // namespace ringcast::zone::dname
