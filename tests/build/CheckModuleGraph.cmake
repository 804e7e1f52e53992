# Test: the core's module graph is enforced by the build. Run with -DBUILD_DIR=<build folder>.
# A probe compiled as the storage module that includes a ledger header must fail on that include; the same
# kind of probe compiled as the ledger, including storage, must build.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target module_probe_storage_uses_ledger
                RESULT_VARIABLE forbidden OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(forbidden EQUAL 0)
  message(FATAL_ERROR "storage compiled an include of ledger/Ledger.h: the module graph is not enforced")
endif()
if(NOT out MATCHES "ledger/Ledger.h: No such file or directory")
  message(FATAL_ERROR "the forbidden probe failed for another reason:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target module_probe_ledger_uses_storage
                RESULT_VARIABLE allowed OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT allowed EQUAL 0)
  message(FATAL_ERROR "the allowed probe (ledger includes storage) did not build:\n${out}")
endif()
message(STATUS "storage -> ledger refused by the compiler; ledger -> storage builds")
