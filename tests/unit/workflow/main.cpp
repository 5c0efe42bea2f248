#define BOOST_TEST_MODULE ow_workflow
#include <boost/test/unit_test.hpp>
