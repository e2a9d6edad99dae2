// A temporary directory of one's own for each test: ctest runs every test as its own process,
// several at once, so fixed names would let one test delete another's files.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

inline std::filesystem::path test_temp_dir(const std::string& stem) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = stem;
  if (info) name += std::string("-") + info->test_suite_name() + "." + info->name();
  return std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
}
