/* Tests for blood/request.c: filled in below. */
#include "harness.h"
