#define BOOST_TEST_MODULE ow_seal
#include <boost/test/unit_test.hpp>
