# ctest script: install the build into a fresh prefix, build the example plugin out of tree
# against it (find_package(gradlab)), then load the result and use its components.
# Inputs: BINARY_DIR, SOURCE_DIR (for docs/plugins.md; the example comes from the prefix),
# LOAD_CHECK, GENERATOR.
set(work ${BINARY_DIR}/tests/install_test)
file(REMOVE_RECURSE ${work})
set(prefix ${work}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${prefix})
if(NOT EXISTS ${prefix}/lib/cmake/gradlab/gradlabConfig.cmake AND
   NOT EXISTS ${prefix}/lib64/cmake/gradlab/gradlabConfig.cmake)
  message(FATAL_ERROR "no gradlabConfig.cmake under ${prefix}")
endif()
# Build the copy of the example that the package installs, as a plugin author would.
run(${CMAKE_COMMAND} -S ${prefix}/share/gradlab/examples/plugin/standalone -B ${work}/build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${work}/build)
# NB: LD_LIBRARY_PATH wins over the checker's RUNPATH, so the installed libgradlab.so serves.
run(${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/lib ${LOAD_CHECK} ${work}/build/libgradlab_example.so)
if(NOT out MATCHES "libgradlab: ${prefix}/lib/libgradlab.so")
  message(FATAL_ERROR "the check did not run against the installed libgradlab.so:\n${out}")
endif()
# The installed command (found through its $ORIGIN rpath, no LD_LIBRARY_PATH) gradchecks the
# plugin's layer and regularizer.
run(${prefix}/bin/gradlab gradcheck swish orthogonality --plugin ${work}/build/libgradlab_example.so)
if(NOT out MATCHES "layer +swish[^\n]*PASS" OR NOT out MATCHES "regularizer +orthogonality[^\n]*PASS")
  message(FATAL_ERROR "the installed gradlab did not pass the plugin's gradcheck:\n${out}")
endif()

# The installed example experiment runs from the install as it is: its plugin path leads to the
# installed libgradlab_example.so (a relative path, so run it from another folder).
set(example ${prefix}/share/gradlab/examples/plugin/swish_experiment.yaml)
execute_process(COMMAND ${prefix}/bin/gradlab run ${example} --out ${work}/swish_run --no-plots
    --set train.epochs=2 WORKING_DIRECTORY ${work} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "swish_example: completed after 2 of 2 epochs")
  message(FATAL_ERROR "the installed example did not run from the install (exit ${rc}):\n${out}\n${err}")
endif()
if(NOT EXISTS ${prefix}/lib/gradlab/plugins/libgradlab_example.so)
  message(FATAL_ERROR "the example plugin is not installed in ${prefix}/lib/gradlab/plugins")
endif()

# docs/plugins.md stays true: its swish layer, entry point and CMakeLists (the first two ```cpp
# blocks and the first ```cmake block) build against the package and pass gradcheck.
file(READ ${SOURCE_DIR}/docs/plugins.md rest)
set(docs ${work}/from_docs)
foreach(pair "cpp;swish.cpp" "cpp;plugin.cpp" "cmake;CMakeLists.txt")
  list(GET pair 0 lang)
  list(GET pair 1 name)
  string(FIND "${rest}" "```${lang}\n" start)
  if(start EQUAL -1)
    message(FATAL_ERROR "docs/plugins.md: no ```${lang} block for ${name}")
  endif()
  string(LENGTH "```${lang}\n" skip)
  math(EXPR start "${start} + ${skip}")
  string(SUBSTRING "${rest}" ${start} -1 rest)
  string(FIND "${rest}" "```" end)
  string(SUBSTRING "${rest}" 0 ${end} block)
  file(WRITE ${docs}/${name} "${block}")
endforeach()
run(${CMAKE_COMMAND} -S ${docs} -B ${docs}/build -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${docs}/build)
run(${prefix}/bin/gradlab gradcheck swish --plugin ${docs}/build/libmyplugin.so)
if(NOT out MATCHES "layer +swish[^\n]*PASS")
  message(FATAL_ERROR "the plugin of docs/plugins.md did not pass gradcheck:\n${out}")
endif()

# Section 9's primitive (the first ```cpp block after its heading) builds into the same plugin as
# the page says (one more file on the add_library line), passes gradcheck at load and in
# `gradlab gradcheck`, and the section's experiment (its ```yaml block) trains with it.
function(block_after heading lang out)
  file(READ ${SOURCE_DIR}/docs/plugins.md page)
  string(FIND "${page}" "${heading}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "docs/plugins.md: no heading '${heading}'")
  endif()
  string(SUBSTRING "${page}" ${at} -1 page)
  string(FIND "${page}" "```${lang}\n" start)
  if(start EQUAL -1)
    message(FATAL_ERROR "docs/plugins.md: no ```${lang} block after '${heading}'")
  endif()
  string(LENGTH "```${lang}\n" skip)
  math(EXPR start "${start} + ${skip}")
  string(SUBSTRING "${page}" ${start} -1 page)
  string(FIND "${page}" "```" end)
  string(SUBSTRING "${page}" 0 ${end} found)
  set(${out} "${found}" PARENT_SCOPE)
endfunction()
block_after("## 9. Write a new primitive" cpp mish_source)
block_after("## 9. Write a new primitive" yaml mish_yaml)
file(WRITE ${docs}/mish.cpp "${mish_source}")
file(WRITE ${work}/mish_moons.yaml "${mish_yaml}")
file(READ ${docs}/CMakeLists.txt lists)
string(REPLACE "swish.cpp plugin.cpp" "swish.cpp mish.cpp plugin.cpp" lists "${lists}")
file(WRITE ${docs}/CMakeLists.txt "${lists}")
run(${CMAKE_COMMAND} -S ${docs} -B ${docs}/build)
run(${CMAKE_COMMAND} --build ${docs}/build)
run(${prefix}/bin/gradlab gradcheck primitive/mish layer/mish --plugin ${docs}/build/libmyplugin.so)
if(NOT out MATCHES "primitive +mish[^\n]*PASS" OR NOT out MATCHES "layer +mish[^\n]*PASS")
  message(FATAL_ERROR "the primitive of docs/plugins.md did not pass gradcheck:\n${out}")
endif()
run(${prefix}/bin/gradlab run ${work}/mish_moons.yaml --plugin ${docs}/build/libmyplugin.so
    --out ${work}/mish_run --no-plots)
if(NOT out MATCHES "mish_moons: completed after 60 of 60 epochs")
  message(FATAL_ERROR "the experiment of docs/plugins.md section 9 did not train:\n${out}")
endif()
