#define BOOST_TEST_MODULE query_test
#include <boost/test/unit_test.hpp>
