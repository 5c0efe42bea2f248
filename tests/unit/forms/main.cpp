#define BOOST_TEST_MODULE ow_forms
#include <boost/test/unit_test.hpp>
