#include "ow/seal/errors.h"
#include "pdf_util.h"

#include <boost/test/unit_test.hpp>

using namespace ow::seal;

BOOST_AUTO_TEST_SUITE(pdf_tail)

BOOST_AUTO_TEST_CASE(finds_startxref_and_eol) {
    const std::string head = "%PDF-1.7\n";
    const std::string last = "trailer\n<< >>\nstartxref\n1234\n%%EOF\n";
    pdf::Tail t = pdf::parse_tail(head, last, 5000);
    BOOST_TEST(t.startxref == 1234u);
    BOOST_TEST(t.ends_with_eol);
    t = pdf::parse_tail(head, "startxref\r\n99\r\n%%EOF", 5000);
    BOOST_TEST(t.startxref == 99u);
    BOOST_TEST(!t.ends_with_eol);
}

BOOST_AUTO_TEST_CASE(rejects_bad_files) {
    BOOST_CHECK_THROW(pdf::parse_tail("hello", "startxref\n1\n%%EOF", 100), SealInputError);
    BOOST_CHECK_THROW(pdf::parse_tail("%PDF-1.4", "startxref\n1\n%%EO", 100), SealInputError);
    BOOST_CHECK_THROW(pdf::parse_tail("%PDF-1.4", "trailer %%EOF", 100), SealInputError);
    BOOST_CHECK_THROW(pdf::parse_tail("%PDF-1.4", "startxref\n500\n%%EOF", 100), SealInputError);
}

BOOST_AUTO_TEST_CASE(xref_kind) {
    pdf::Tail t;
    pdf::classify_xref(t, "xref\n0 1\n");
    BOOST_TEST(!t.xref_stream);
    pdf::classify_xref(t, "\n12 0 obj\n<< /Type /XRef");
    BOOST_TEST(t.xref_stream);
    BOOST_CHECK_THROW(pdf::classify_xref(t, "garbage"), SealInputError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pdf_syntax)

BOOST_AUTO_TEST_CASE(text_strings) {
    BOOST_TEST(pdf::text_string("Seal (1)") == "(Seal \\(1\\))");
    BOOST_TEST(pdf::text_string("盖章") == "<FEFF76D67AE0>");
    BOOST_TEST(pdf::text_string("\xF0\x9F\x98\x80") == "<FEFFD83DDE00>");  // outside the BMP
}

BOOST_AUTO_TEST_CASE(numbers_and_dates) {
    BOOST_TEST(pdf::number(100) == "100");
    BOOST_TEST(pdf::number(1.5) == "1.5");
    BOOST_TEST(pdf::number(-0.0001) == "0");
    BOOST_TEST(pdf::pdf_date(0) == "D:19700101000000Z");
    BOOST_TEST(pdf::name("/A B") == "/A#20B");
}

BOOST_AUTO_TEST_CASE(xref_table_entries_are_20_bytes) {
    pdf::Revision rev(7);
    const std::int64_t a = rev.reserve();
    const std::int64_t b = rev.reserve();
    rev.put(a, 0, "<< >>");
    rev.put(b, 0, "[ ]");
    rev.put(3, 2, "<< /Type /Page >>");
    pdf::Revision::Trailer tr{"1 0 R", "", "[<01> <02>]", 100, false};
    const std::string s = rev.assemble(1000, true, tr);
    BOOST_TEST(s[0] == '\n');
    BOOST_TEST(s.find("xref\n3 1\n") != std::string::npos);
    BOOST_TEST(s.find("7 2\n") != std::string::npos);
    const std::size_t e = s.find("3 1\n") + 4;
    BOOST_TEST(s.substr(e, 20) == std::to_string(1000 + rev.offset_of(3)).insert(0, 10 - std::to_string(1000 + rev.offset_of(3)).size(), '0') + " 00002 n \n");
    BOOST_TEST(s.find("/Size 9 /Root 1 0 R /ID [<01> <02>] /Prev 100") != std::string::npos);
    BOOST_TEST(s.substr(s.size() - 6) == "%%EOF\n");
}

BOOST_AUTO_TEST_CASE(xref_stream_lists_itself) {
    pdf::Revision rev(5);
    rev.put(rev.reserve(), 0, "<< >>");
    pdf::Revision::Trailer tr{"1 0 R", "2 0 R", "[<01> <02>]", 42, true};
    const std::string s = rev.assemble(0, false, tr);
    BOOST_TEST(s.find("6 0 obj\n<< /Type /XRef /Size 7 /Index [ 5 2 ] /W [ 1 4 2 ]") != std::string::npos);
    BOOST_TEST(s.find("/Info 2 0 R") != std::string::npos);
    BOOST_TEST(s.find("/Length 14") != std::string::npos);  // two entries of 7 bytes
}

BOOST_AUTO_TEST_CASE(object_numbers_are_64_bit) {
    // Numbers past 2^31 are written as they are (never wrapped to negative); the stamper refuses
    // such a /Size before it gets here (kMaxObjectNumber), the writer does not rely on that.
    pdf::Revision rev(2147483647);
    const std::int64_t a = rev.reserve();
    const std::int64_t b = rev.reserve();
    BOOST_TEST(a == 2147483647);
    BOOST_TEST(b == 2147483648LL);
    rev.put(a, 0, "<< >>");
    rev.put(b, 0, "<< >>");
    pdf::Revision::Trailer tr{"1 0 R", "", "[<01> <02>]", 100, false};
    const std::string s = rev.assemble(1000, false, tr);
    BOOST_TEST(s.find("2147483648 0 obj") != std::string::npos);
    BOOST_TEST(s.find("xref\n2147483647 2\n") != std::string::npos);
    BOOST_TEST(s.find("/Size 2147483649 ") != std::string::npos);
    BOOST_TEST(s.find('-') == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
