package org.embedrec.serve;

import static org.embedrec.serve.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Any request body either reads as a query, a batch and a score request, or is refused with a
 * {@link BadRequest} carrying a message (which the server answers as a 4xx naming the field);
 * anything else would be a 500. Seeds in {@code QueryReaderFuzzTestInputs/requestBody/}; see
 * Fuzzing in the README to fuzz.
 */
class QueryReaderFuzzTest {
    private static final QueryReader READER = new QueryReader(new ObjectMapper());

    @FuzzTest(maxDuration = "2m")
    void requestBody(byte[] input) throws Exception {
        loadsOrFailsWith(() -> {
            JsonNode body = READER.body(input);
            try {
                QueryReader.recommendBody(body, "");
            } catch (BadRequest e) {
                requireMessage(e);
            }
            try {
                QueryReader.scoreBody(body);
            } catch (BadRequest e) {
                requireMessage(e);
            }
            QueryReader.batchBody(body);
        }, BadRequest.class);
    }

    private static void requireMessage(BadRequest e) {
        if (e.getMessage() == null || e.getMessage().isBlank() || e.field() == null) {
            throw new AssertionError("a refusal without a field or message", e);
        }
    }
}
