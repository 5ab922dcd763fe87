package dev.srr.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One candidate response of a list.
 *
 * @param text         the response text
 * @param label        the source's own label ({@code label} field), or null
 * @param safety       the safety reading: from {@code harm} when the candidate has that key, else from {@code label}
 * @param safetyValue  the raw value the safety was read from (e.g. "full_refusal" for an OTHER), or null
 * @param attackPrompt the text the model actually received, when it differs from the list's prompt; or null
 * @param fields       the whole JSON object, for source-specific fields
 */
public record Candidate(String text, String label, SafetyLabel safety, String safetyValue, String attackPrompt,
                        JsonNode fields) {

    /** TRUE safe, FALSE unsafe, null unlabelled or another value. */
    public Boolean safe() {
        return safety.asBoolean();
    }
}
