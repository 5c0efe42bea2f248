#define BOOST_TEST_MODULE ow_archive
#include <boost/test/unit_test.hpp>
