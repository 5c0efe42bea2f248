// A stand-in for a vendor's sdtapi library (tests only): one reader on USB port 1001 with one
// synthetic card. Its text block is built here, independently of the decoder under test.
#include <cstring>
#include <string>

namespace {

void put(unsigned char* block, std::size_t& offset, const std::u16string& text, std::size_t chars) {
    for (std::size_t i = 0; i < chars; ++i) {
        char16_t c = i < text.size() ? text[i] : u' ';
        block[offset++] = static_cast<unsigned char>(c & 0xFF);
        block[offset++] = static_cast<unsigned char>(c >> 8);
    }
}

bool g_open = false;

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int SDT_OpenPort(int port) {
    g_open = port == 1001;
    return g_open ? 0x90 : 0x01;
}
__attribute__((visibility("default"))) int SDT_ClosePort(int) {
    g_open = false;
    return 0x90;
}
__attribute__((visibility("default"))) int SDT_StartFindIDCard(int, unsigned char* mana, int) {
    if (mana) std::memset(mana, 0, 4);
    return g_open ? 0x9f : 0x80;
}
__attribute__((visibility("default"))) int SDT_SelectIDCard(int, unsigned char*, int) {
    return g_open ? 0x90 : 0x81;
}
__attribute__((visibility("default"))) int SDT_ReadBaseMsg(int, unsigned char* text, unsigned int* text_len,
                                                           unsigned char* photo, unsigned int* photo_len, int) {
    if (!g_open) return 0x41;
    std::memset(text, 0, 256);
    std::size_t o = 0;
    put(text, o, u"赵样卡", 15);
    put(text, o, u"2", 1);
    put(text, o, u"03", 2);
    put(text, o, u"19881212", 8);
    put(text, o, u"浙江省杭州市西湖区测试路100号", 35);
    put(text, o, u"330106198812120021", 18);
    put(text, o, u"杭州市公安局西湖分局", 15);
    put(text, o, u"20200101", 8);
    put(text, o, u"长期", 8);
    put(text, o, u"", 18);
    *text_len = 256;
    for (unsigned i = 0; i < 1024; ++i)
        photo[i] = static_cast<unsigned char>(i & 0xFF);
    *photo_len = 1024;
    return 0x90;
}

}  // extern "C"
