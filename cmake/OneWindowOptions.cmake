#[[ Compiler settings shared by every OneWindow target. ]]
set(OW_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(OW_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
# Position-independent code everywhere: the command line's modules (client/cli) are shared
# libraries built from the same static libraries as the executables.
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
# A binary records only the shared libraries it uses (each one costs start-up time).
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  add_link_options(LINKER:--as-needed)
endif()
# lld links the big test and desk binaries with their debug information several times faster
# than the default bfd linker (test_desk_logic, dev preset: 10 s with bfd, 1.5 s with lld), which
# counts in CI where every preset links some sixty binaries from scratch. scripts/bootstrap installs it.
option(OW_USE_LLD "Link with lld (ld.lld) when it is installed" ON)
find_program(OW_LLD ld.lld)
if(OW_USE_LLD AND OW_LLD AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
  add_link_options(-fuse-ld=lld)
endif()
find_program(OW_CCACHE ccache)
if(OW_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${OW_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${OW_CCACHE})
endif()

# ow_target_defaults(TARGET): warnings and the standard for one of our targets.
function(ow_target_defaults target)
  target_compile_options(${target} PRIVATE ${OW_WARNINGS})
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
