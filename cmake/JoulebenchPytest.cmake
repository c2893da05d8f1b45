# jb_add_pytest_files(PREFIX LABEL PYTHON ENVIRONMENT)
# One ctest entry per tests' test_*.py file in the calling folder, so files run in parallel:
# named PREFIX_<file>, labelled LABEL, run by PYTHON -m pytest with ENVIRONMENT (a
# semicolon list of NAME=VALUE).
function(jb_add_pytest_files prefix label python environment)
  file(GLOB test_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test_*.py)
  foreach(test_file ${test_files})
    get_filename_component(test_name ${test_file} NAME_WE)
    add_test(NAME ${prefix}_${test_name}
             COMMAND ${python} -m pytest -q -p no:cacheprovider ${test_file}
             WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    set_tests_properties(${prefix}_${test_name} PROPERTIES
      LABELS ${label} TIMEOUT 600 ENVIRONMENT "${environment}")
  endforeach()
endfunction()
