// Builds the precompiled header the tests share (tests/CMakeLists.txt: amorph_test_pch).
