/// The API's contract, served at `/openapi.yaml`. Tests hold the router to it: every
/// route served is described here and every path here is served.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.0.3
info:
  title: SmartContent API
  version: 1.0.0
  description: |
    The HTTP endpoint of the SmartContent event-sourced engine. Every response carries
    `X-Request-Id`; every write answers with `X-Log-Position`; a read given
    `X-Min-Position` (or `?minPosition=`) waits until its projection has folded that far.
    JSON bodies are wrapped in the envelope `{success, data, requestId}`; errors in
    `{success: false, error: {code, message, details}, requestId}`.
servers:
  - url: http://127.0.0.1:8080
security:
  - bearer: []
tags:
  - name: auth
  - name: users
  - name: content
  - name: analytics
  - name: schedules
  - name: audiences
  - name: distribution
  - name: operations
paths:
  /healthz:
    get:
      tags: [operations]
      summary: Liveness
      security: []
      responses:
        "200": {$ref: "#/components/responses/Health"}
  /readyz:
    get:
      tags: [operations]
      summary: Ready once the projections have caught up with the log
      security: []
      responses:
        "200": {$ref: "#/components/responses/Health"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /metrics:
    get:
      tags: [operations]
      summary: Prometheus metrics (requests by route and status, latency histograms, log position, projection lag)
      security: []
      responses:
        "200":
          description: Prometheus text format
          content:
            text/plain:
              schema: {type: string}
  /openapi.yaml:
    get:
      tags: [operations]
      summary: This document
      security: []
      responses:
        "200":
          description: OpenAPI 3 document
          content:
            application/yaml:
              schema: {type: string}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/auth/register:
    post:
      tags: [auth]
      summary: Register; creates the user's own workspace with the user as admin
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/RegisterRequest"}
      responses:
        "201":
          description: Registered
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/RegisteredUser"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/auth/login:
    post:
      tags: [auth]
      summary: Log in; five failures in a row lock the account for 15 minutes
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/LoginRequest"}
      responses:
        "200": {$ref: "#/components/responses/Tokens"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/auth/refresh:
    post:
      tags: [auth]
      summary: Trade a refresh token for a new pair (the old refresh token stops working)
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [refreshToken]
              properties: {refreshToken: {type: string}}
      responses:
        "200": {$ref: "#/components/responses/Tokens"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/auth/logout:
    post:
      tags: [auth]
      summary: Close the session of the access token (its tokens stop working)
      responses:
        "204": {description: Logged out}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/users/me:
    get:
      tags: [users]
      summary: The caller's profile in the current workspace
      parameters: [{$ref: "#/components/parameters/MinPosition"}, {$ref: "#/components/parameters/WorkspaceId"}]
      responses:
        "200": {$ref: "#/components/responses/Profile"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
    put:
      tags: [users]
      summary: Update the profile, or change the password (which revokes every session)
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ProfileUpdate"}
      responses:
        "200": {$ref: "#/components/responses/Profile"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/users/{userId}:
    get:
      tags: [users]
      summary: A member's profile (admins, members of their workspace only; others see only themselves)
      parameters:
        - {name: userId, in: path, required: true, schema: {type: string}}
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200": {$ref: "#/components/responses/Profile"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/workspaces/{workspaceId}/members:
    parameters:
      - {name: workspaceId, in: path, required: true, schema: {type: string}}
    get:
      tags: [users]
      summary: The workspace's members
      parameters: [{$ref: "#/components/parameters/MinPosition"}]
      responses:
        "200":
          description: Members
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/MemberList"}}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
    post:
      tags: [users]
      summary: Add a registered user by email with a role (admins)
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [email, role]
              properties:
                email: {type: string, format: email}
                role: {$ref: "#/components/schemas/Role"}
      responses:
        "201":
          description: Added
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Member"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/content:
    get:
      tags: [content]
      summary: Content of the workspace, newest first
      parameters:
        - $ref: "#/components/parameters/Limit"
        - $ref: "#/components/parameters/Cursor"
        - {name: status, in: query, schema: {$ref: "#/components/schemas/ContentStatus"}}
        - {name: authorId, in: query, schema: {type: string}}
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: A page of content
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/ContentPage"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
    post:
      tags: [content]
      summary: Create content (editors and admins)
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ContentCreate"}
      responses:
        "201": {$ref: "#/components/responses/ContentWritten"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/content/generate:
    post:
      tags: [content]
      summary: Generate content with the configured generator; recorded as ContentCreated
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/GenerationRequest"}
      responses:
        "201":
          description: Generated
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/GeneratedContent"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/content/{contentId}:
    parameters:
      - $ref: "#/components/parameters/ContentId"
      - $ref: "#/components/parameters/WorkspaceId"
    get:
      tags: [content]
      summary: One content, current version
      parameters: [{$ref: "#/components/parameters/MinPosition"}]
      responses:
        "200": {$ref: "#/components/responses/ContentWritten"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    put:
      tags: [content]
      summary: Update; a new version
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ContentUpdate"}
      responses:
        "200": {$ref: "#/components/responses/ContentWritten"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
    delete:
      tags: [content]
      summary: Delete (the content keeps its history; status becomes deleted)
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/content/{contentId}/versions:
    get:
      tags: [content]
      summary: Version history, oldest first
      parameters:
        - $ref: "#/components/parameters/ContentId"
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Versions
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/ContentVersionList"}}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/content/{contentId}/refine:
    post:
      tags: [content]
      summary: Edit with the generator following instructions; a new version
      description: >-
        The offline generator edits the current text, never rewriting it from the title. It
        understands a length ("about 80 words", "shorter", "half as long", "longer": whole
        sentences are dropped, the least informative first, keeping the first and those with
        the keywords; or new sentences on the topic are added), a tone ("more casual",
        "formal", any of the Tone values), "add a call to action", "add an example",
        keywords ("add keyword X", "remove Y") and the title ("title: …", "fix the title").
        Instructions are split at commas, semicolons, sentence ends and "and"; those it cannot
        follow are listed in notApplied.
      parameters:
        - $ref: "#/components/parameters/ContentId"
        - $ref: "#/components/parameters/WorkspaceId"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [instructions]
              properties: {instructions: {type: string, minLength: 1, maxLength: 2000}}
      responses:
        "200":
          description: The refined content, and the instructions not followed
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/RefinedContent"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/schedules:
    get:
      tags: [schedules]
      summary: Schedules by publish day (default from yesterday to a year ahead)
      parameters:
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/To"
        - $ref: "#/components/parameters/Limit"
        - $ref: "#/components/parameters/Cursor"
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: A page of schedules
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties:
                      data:
                        type: object
                        properties:
                          items: {type: array, items: {$ref: "#/components/schemas/Schedule"}}
                          nextCursor: {type: string, nullable: true}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
    post:
      tags: [schedules]
      summary: Schedule content for publication
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ScheduleCreate"}
      responses:
        "201": {$ref: "#/components/responses/ScheduleWritten"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/schedules/optimal-times:
    get:
      tags: [schedules]
      summary: Hours of the week ranked by engagement in the workspace (0 = Monday)
      parameters:
        - $ref: "#/components/parameters/Limit"
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Posting times
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {type: array, items: {$ref: "#/components/schemas/PostingTime"}}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/schedules/{scheduleId}:
    parameters:
      - {name: scheduleId, in: path, required: true, schema: {type: string}}
      - $ref: "#/components/parameters/WorkspaceId"
    get:
      tags: [schedules]
      summary: One schedule
      parameters: [{$ref: "#/components/parameters/MinPosition"}]
      responses:
        "200": {$ref: "#/components/responses/ScheduleWritten"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
    put:
      tags: [schedules]
      summary: Move a schedule, change its timezone or channels
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                publishTime: {type: string, format: date-time}
                timezone: {type: string}
                channels: {type: array, items: {type: string}}
      responses:
        "200": {$ref: "#/components/responses/ScheduleWritten"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
    delete:
      tags: [schedules]
      summary: Cancel a schedule
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/analytics/events:
    post:
      tags: [analytics]
      summary: Ingest engagement, one event or a batch of up to 1000 (idempotent by eventId)
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: "#/components/schemas/Engagement"
                - type: object
                  required: [events]
                  properties:
                    events: {type: array, minItems: 1, maxItems: 1000, items: {$ref: "#/components/schemas/Engagement"}}
      responses:
        "202":
          description: Accepted (recorded in the log)
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties:
                      data:
                        type: object
                        properties:
                          accepted: {type: integer, description: events new to the log}
                          position: {type: integer, format: int64}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/analytics/content/{contentId}:
    get:
      tags: [analytics]
      summary: One content's daily analytics (UTC days)
      parameters:
        - $ref: "#/components/parameters/ContentId"
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/To"
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Content analytics
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/ContentAnalytics"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/analytics/dashboard:
    get:
      tags: [analytics]
      summary: Workspace totals, top content and daily series
      parameters:
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/To"
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Dashboard
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Dashboard"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/analytics/trends:
    get:
      tags: [analytics]
      summary: A daily series for the workspace, or for one content
      parameters:
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/To"
        - {name: contentId, in: query, schema: {type: string}}
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Trends
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties:
                      data:
                        type: object
                        properties:
                          contentId: {type: string}
                          from: {type: string, format: date}
                          to: {type: string, format: date}
                          interval: {type: string, enum: [day]}
                          points: {type: array, items: {$ref: "#/components/schemas/Daily"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/analytics/reports:
    get:
      tags: [analytics]
      summary: A period's report - totals, top content, best posting times, active days
      parameters:
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/To"
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Report
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties:
                      data:
                        type: object
                        properties:
                          workspaceId: {type: string}
                          from: {type: string, format: date}
                          to: {type: string, format: date}
                          totals: {$ref: "#/components/schemas/Totals"}
                          topContent: {type: array, items: {$ref: "#/components/schemas/Ranking"}}
                          bestPostingTimes: {type: array, items: {$ref: "#/components/schemas/PostingTime"}}
                          activeDays: {type: integer}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/analytics/compare:
    get:
      tags: [analytics]
      summary: Several contents side by side
      parameters:
        - {name: contentIds, in: query, required: true, description: 2 to 20 comma-separated content ids, schema: {type: string}}
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/To"
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Comparison
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties:
                      data:
                        type: object
                        properties:
                          items: {type: array, items: {$ref: "#/components/schemas/ContentAnalytics"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/analytics/export:
    post:
      tags: [analytics]
      summary: Daily rows per content as JSON lines or CSV (no envelope)
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}, {$ref: "#/components/parameters/MinPosition"}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                from: {type: string, format: date}
                to: {type: string, format: date}
                format: {type: string, enum: [jsonl, csv], default: jsonl}
                contentIds: {type: array, items: {type: string}, description: default - every content with engagement}
      responses:
        "200":
          description: The rows
          content:
            application/x-ndjson:
              schema: {type: string}
            text/csv:
              schema: {type: string}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/audiences:
    get:
      tags: [audiences]
      summary: The workspace's audiences
      parameters: [{$ref: "#/components/parameters/MinPosition"}, {$ref: "#/components/parameters/WorkspaceId"}]
      responses:
        "200":
          description: Audiences
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/AudienceList"}}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
    post:
      tags: [audiences]
      summary: Create an audience
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/AudienceWrite"}
      responses:
        "201": {$ref: "#/components/responses/AudienceWritten"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/audiences/{audienceId}:
    parameters:
      - {name: audienceId, in: path, required: true, schema: {type: string}}
      - $ref: "#/components/parameters/WorkspaceId"
    get:
      tags: [audiences]
      summary: One audience
      parameters: [{$ref: "#/components/parameters/MinPosition"}]
      responses:
        "200": {$ref: "#/components/responses/AudienceWritten"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
    put:
      tags: [audiences]
      summary: Rename or redefine an audience
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/AudienceWrite"}
      responses:
        "200": {$ref: "#/components/responses/AudienceWritten"}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
    delete:
      tags: [audiences]
      summary: Delete an audience
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/distribution/channels:
    get:
      tags: [distribution]
      summary: Connected channels (never their secrets)
      parameters: [{$ref: "#/components/parameters/MinPosition"}, {$ref: "#/components/parameters/WorkspaceId"}]
      responses:
        "200":
          description: Channels
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/ChannelList"}}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
    post:
      tags: [distribution]
      summary: Connect a webhook channel
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, url]
              properties:
                name: {type: string}
                kind: {type: string, enum: [webhook]}
                url: {type: string, format: uri}
                secret: {type: string, description: signs each delivery (HMAC-SHA256)}
      responses:
        "201":
          description: Connected
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Channel"}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/distribution/channels/{channelId}:
    delete:
      tags: [distribution]
      summary: Disconnect a channel
      parameters:
        - {name: channelId, in: path, required: true, schema: {type: string}}
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/distribution/publish:
    post:
      tags: [distribution]
      summary: Publish content to channels; a queued job
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [contentId, channels]
              properties:
                contentId: {type: string}
                channels: {type: array, minItems: 1, items: {type: string}}
      responses:
        "202":
          description: Queued
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties:
                      data:
                        type: object
                        properties:
                          jobId: {type: string}
                          status: {type: string, enum: [queued]}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/distribution/status/{jobId}:
    get:
      tags: [distribution]
      summary: A publication job and its deliveries
      parameters:
        - {name: jobId, in: path, required: true, schema: {type: string}}
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Job
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Job"}}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/events:
    get:
      tags: [operations]
      summary: The workspace's events of the log in the wire format, by position (admins; password hashes redacted)
      parameters:
        - $ref: "#/components/parameters/Limit"
        - {name: cursor, in: query, description: the last position of the previous page, schema: {type: integer, format: int64}}
        - {name: stream, in: query, description: a stream name prefix, schema: {type: string}}
        - {name: type, in: query, schema: {type: string}}
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: A page of events
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties:
                      data:
                        type: object
                        properties:
                          items: {type: array, items: {$ref: "#/components/schemas/WireEvent"}}
                          nextCursor: {type: string, nullable: true}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "429": {$ref: "#/components/responses/RateLimited"}
  /v1/projections:
    get:
      tags: [operations]
      summary: Each projection's checkpoint, lag and state
      responses:
        "200":
          description: Projections
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties:
                      data:
                        type: array
                        items:
                          type: object
                          properties:
                            name: {type: string}
                            checkpoint: {type: integer, format: int64}
                            lag: {type: integer, format: int64}
                            status: {type: string, enum: [catching_up, live, failed, stopped]}
                            error: {type: string}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      bearerFormat: JWT
  headers:
    X-Log-Position:
      description: The log position the write reached; give it as X-Min-Position to read your write
      schema: {type: integer, format: int64}
    Retry-After:
      description: Seconds to wait
      schema: {type: integer}
  parameters:
    MinPosition:
      name: minPosition
      in: query
      description: Read-your-writes - wait (bounded) until the projection has folded this position. Also as the X-Min-Position header.
      schema: {type: integer, format: int64, minimum: 0}
    WorkspaceId:
      name: X-Workspace-Id
      in: header
      description: Act in another workspace the caller belongs to (any other id answers 404)
      schema: {type: string}
    Limit:
      name: limit
      in: query
      schema: {type: integer, minimum: 1, maximum: 100, default: 20}
    Cursor:
      name: cursor
      in: query
      description: The nextCursor of the previous page
      schema: {type: string}
    From:
      name: from
      in: query
      description: First UTC day, YYYY-MM-DD (default 29 days before to)
      schema: {type: string, format: date}
    To:
      name: to
      in: query
      description: Last UTC day, YYYY-MM-DD (default today; at most 366 days after from)
      schema: {type: string, format: date}
    ContentId:
      name: contentId
      in: path
      required: true
      schema: {type: string}
  responses:
    Health:
      description: Status
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties:
                  data:
                    type: object
                    properties:
                      status: {type: string}
                      lastPosition: {type: integer, format: int64}
    Tokens:
      description: Tokens
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties: {data: {$ref: "#/components/schemas/Tokens"}}
    Profile:
      description: Profile
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties: {data: {$ref: "#/components/schemas/Profile"}}
    ContentWritten:
      description: The content
      headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties: {data: {$ref: "#/components/schemas/Content"}}
    ScheduleWritten:
      description: The schedule
      headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties: {data: {$ref: "#/components/schemas/Schedule"}}
    AudienceWritten:
      description: The audience
      headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties: {data: {$ref: "#/components/schemas/Audience"}}
    Deleted:
      description: Done
      headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
    Invalid:
      description: Malformed or out-of-range input (INVALID_PARAMETERS, details.field names the field)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    Unauthorized:
      description: No, invalid, expired or revoked token; bad credentials (UNAUTHORIZED)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    Forbidden:
      description: The role does not allow it (FORBIDDEN), or the account is locked (ACCOUNT_LOCKED)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    NotFound:
      description: Absent, or in a workspace the caller does not belong to (NOT_FOUND)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    Conflict:
      description: VERSION_CONFLICT, ALREADY_EXISTS or INVALID_STATE
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    TooLarge:
      description: Body over 10 MB (PAYLOAD_TOO_LARGE)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    RateLimited:
      description: Too many requests from this user or IP address (RATE_LIMITED)
      headers: {Retry-After: {$ref: "#/components/headers/Retry-After"}}
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    Unavailable:
      description: Not ready, or a read-your-writes wait timed out (NOT_READY, NOT_YET_CONSISTENT), or the generator is down
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
  schemas:
    Envelope:
      type: object
      required: [success, data, requestId]
      properties:
        success: {type: boolean, enum: [true]}
        data: {}
        requestId: {type: string}
    ErrorEnvelope:
      type: object
      required: [success, error, requestId]
      properties:
        success: {type: boolean, enum: [false]}
        error:
          type: object
          required: [code, message, details]
          properties:
            code: {type: string, example: INVALID_PARAMETERS}
            message: {type: string}
            details: {type: object, additionalProperties: {type: string}}
        requestId: {type: string}
    Role: {type: string, enum: [admin, editor, viewer]}
    MemberList: {type: object, properties: {items: {type: array, items: {$ref: "#/components/schemas/Member"}}, nextCursor: {type: string, nullable: true}}}
    ContentVersionList: {type: object, properties: {items: {type: array, items: {$ref: "#/components/schemas/ContentVersion"}}, nextCursor: {type: string, nullable: true}}}
    AudienceList: {type: object, properties: {items: {type: array, items: {$ref: "#/components/schemas/Audience"}}, nextCursor: {type: string, nullable: true}}}
    ChannelList: {type: object, properties: {items: {type: array, items: {$ref: "#/components/schemas/Channel"}}, nextCursor: {type: string, nullable: true}}}
    ContentType: {type: string, enum: [blog_post, article, social_media, email, ad_copy, product_description, newsletter]}
    Tone: {type: string, enum: [professional, casual, friendly, formal, humorous, persuasive, informative, enthusiastic]}
    ContentStatus: {type: string, enum: [draft, scheduled, published, deleted]}
    RegisterRequest:
      type: object
      required: [email, password, name]
      properties:
        email: {type: string, format: email}
        password: {type: string, minLength: 12, description: at least 12 characters mixing classes}
        name: {type: string, maxLength: 100}
    LoginRequest:
      type: object
      required: [email, password]
      properties:
        email: {type: string, format: email}
        password: {type: string}
    RegisteredUser:
      type: object
      properties:
        userId: {type: string}
        workspaceId: {type: string}
        email: {type: string}
        name: {type: string}
        role: {$ref: "#/components/schemas/Role"}
    Tokens:
      type: object
      properties:
        accessToken: {type: string}
        refreshToken: {type: string}
        tokenType: {type: string, enum: [Bearer]}
        expiresIn: {type: integer}
    Profile:
      type: object
      properties:
        userId: {type: string}
        workspaceId: {type: string}
        email: {type: string}
        name: {type: string}
        bio: {type: string}
        timezone: {type: string}
        role: {$ref: "#/components/schemas/Role"}
        locked: {type: boolean}
        failedLogins: {type: integer}
        createdAt: {type: string, format: date-time}
    ProfileUpdate:
      type: object
      properties:
        name: {type: string}
        bio: {type: string}
        timezone: {type: string, description: an IANA time zone}
        currentPassword: {type: string}
        newPassword: {type: string}
    Member:
      type: object
      properties:
        userId: {type: string}
        email: {type: string}
        name: {type: string}
        role: {$ref: "#/components/schemas/Role"}
    Content:
      type: object
      properties:
        contentId: {type: string}
        workspaceId: {type: string}
        authorId: {type: string}
        title: {type: string}
        body: {type: string}
        contentType: {$ref: "#/components/schemas/ContentType"}
        tone:
          nullable: true
          allOf: [{$ref: "#/components/schemas/Tone"}]
        keywords: {type: array, items: {type: string}}
        status: {$ref: "#/components/schemas/ContentStatus"}
        version: {type: integer, minimum: 1}
        collaborators: {type: array, items: {type: string}}
        createdAt: {type: string, format: date-time}
        updatedAt: {type: string, format: date-time}
    ContentPage:
      type: object
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Content"}}
        nextCursor: {type: string, nullable: true}
    ContentCreate:
      type: object
      required: [title, body, contentType]
      properties:
        title: {type: string, maxLength: 200}
        body: {type: string}
        contentType: {$ref: "#/components/schemas/ContentType"}
        tone: {$ref: "#/components/schemas/Tone"}
        keywords: {type: array, items: {type: string}}
    ContentUpdate:
      type: object
      properties:
        title: {type: string, maxLength: 200}
        body: {type: string}
        contentType: {$ref: "#/components/schemas/ContentType"}
        tone: {$ref: "#/components/schemas/Tone"}
        keywords: {type: array, items: {type: string}}
        changes: {type: string}
        expectedVersion: {type: integer, description: refuse with VERSION_CONFLICT unless the content is at this version}
    ContentVersion:
      type: object
      properties:
        version: {type: integer}
        title: {type: string}
        body: {type: string}
        changes: {type: string}
        editedBy: {type: string}
        editedAt: {type: string, format: date-time}
    RefinedContent:
      allOf:
        - $ref: "#/components/schemas/Content"
        - type: object
          properties:
            notApplied:
              type: array
              items: {type: string}
              description: the parts of the instructions that were not followed, each with why
    GenerationRequest:
      type: object
      required: [contentType, topic, length]
      properties:
        contentType: {$ref: "#/components/schemas/ContentType"}
        topic: {type: string}
        tone: {$ref: "#/components/schemas/Tone"}
        length:
          type: integer
          minimum: 10
          maximum: 5000
          description: >-
            Words (the text lands within 10 % of it). The minimum depends on contentType:
            10 for social_media and ad_copy, 50 for email and product_description, 100 for
            blog_post, article and newsletter.
        keywords: {type: array, items: {type: string, maxLength: 50}, maxItems: 20, description: each used inside a sentence}
        targetAudience: {type: string}
        seed:
          description: >-
            Makes the text reproducible: the same request with the same seed gives the same
            text. Without one, each request gives other text (the answer's metadata.seed
            names the seed drawn).
          oneOf:
            - {type: integer, format: int64}
            - {type: string, minLength: 1, maxLength: 200}
    GeneratedContent:
      type: object
      properties:
        contentId: {type: string}
        title: {type: string}
        body: {type: string}
        contentType: {$ref: "#/components/schemas/ContentType"}
        tone: {$ref: "#/components/schemas/Tone"}
        keywords: {type: array, items: {type: string}}
        status: {$ref: "#/components/schemas/ContentStatus"}
        version: {type: integer}
        metadata:
          type: object
          properties:
            wordCount: {type: integer}
            readingTime: {type: integer, description: minutes}
            generatedAt: {type: string, format: date-time}
            generator: {type: string}
            model: {type: string}
            topic: {type: string}
            length: {type: integer}
            seed:
              description: the seed given, or the one drawn; send it again for the same text
              oneOf: [{type: integer, format: int64}, {type: string}]
    Schedule:
      type: object
      properties:
        scheduleId: {type: string}
        contentId: {type: string}
        workspaceId: {type: string}
        publishTime: {type: string, format: date-time}
        timezone: {type: string}
        channels: {type: array, items: {type: string}}
        status: {type: string, enum: [scheduled, cancelled, published, failed]}
    ScheduleCreate:
      type: object
      required: [contentId, publishTime, timezone, channels]
      properties:
        contentId: {type: string}
        publishTime: {type: string, format: date-time, description: not in the past}
        timezone: {type: string, description: an IANA time zone}
        channels: {type: array, minItems: 1, maxItems: 20, items: {type: string}, description: connected channels of the workspace}
    PostingTime:
      type: object
      properties:
        dayOfWeek: {type: integer, minimum: 0, maximum: 6, description: 0 is Monday}
        hour: {type: integer, minimum: 0, maximum: 23}
        totals: {$ref: "#/components/schemas/Totals"}
    Engagement:
      type: object
      required: [contentId, kind]
      properties:
        contentId: {type: string}
        kind: {type: string, enum: [view, click, share, conversion, engagement]}
        userId: {type: string, maxLength: 128, description: the reader - a user id or any opaque reader id}
        channel: {type: string, maxLength: 64}
        occurredAt: {type: string, format: date-time}
        value: {type: number, minimum: 0, maximum: 1000000000000}
        eventId: {type: string, format: uuid, description: makes a retry harmless}
    Totals:
      type: object
      properties:
        views: {type: number}
        clicks: {type: number}
        shares: {type: number}
        engagement: {type: number}
        conversions: {type: number}
    Daily:
      allOf:
        - $ref: "#/components/schemas/Totals"
        - type: object
          properties: {date: {type: string, format: date}}
    ContentAnalytics:
      type: object
      properties:
        contentId: {type: string}
        totals: {$ref: "#/components/schemas/Totals"}
        daily: {type: array, items: {$ref: "#/components/schemas/Daily"}}
    Ranking:
      type: object
      properties:
        contentId: {type: string}
        totals: {$ref: "#/components/schemas/Totals"}
    Dashboard:
      type: object
      properties:
        workspaceId: {type: string}
        from: {type: string, format: date}
        to: {type: string, format: date}
        totals: {$ref: "#/components/schemas/Totals"}
        topContent: {type: array, items: {$ref: "#/components/schemas/Ranking"}}
        daily: {type: array, items: {$ref: "#/components/schemas/Daily"}}
    Audience:
      type: object
      properties:
        audienceId: {type: string}
        workspaceId: {type: string}
        name: {type: string}
        criteria: {$ref: "#/components/schemas/AudienceCriteria"}
        createdAt: {type: string, format: date-time}
        updatedAt: {type: string, format: date-time}
    AudienceCriteria:
      type: object
      properties:
        keywords: {type: array, items: {type: string}}
        contentTypes: {type: array, items: {$ref: "#/components/schemas/ContentType"}}
        members: {type: array, items: {type: string}}
    AudienceWrite:
      type: object
      required: [name]
      properties:
        name: {type: string}
        criteria: {$ref: "#/components/schemas/AudienceCriteria"}
    Channel:
      type: object
      properties:
        channelId: {type: string}
        name: {type: string}
        kind: {type: string, enum: [webhook]}
        url: {type: string}
        status: {type: string}
        hasSecret: {type: boolean}
        connectedAt: {type: string, format: date-time}
    Job:
      type: object
      properties:
        jobId: {type: string}
        contentId: {type: string}
        status: {type: string, enum: [queued, delivering, delivered, failed, dead_lettered]}
        attempts: {type: integer}
        deliveries:
          type: array
          items:
            type: object
            properties:
              channelId: {type: string}
              status: {type: string}
              attempts: {type: integer}
              lastError: {type: string}
    WireEvent:
      type: object
      properties:
        position: {type: integer, format: int64}
        stream: {type: string}
        version: {type: integer, format: int64}
        type: {type: string}
        schemaVersion: {type: integer}
        id: {type: string, format: uuid}
        recordedAt: {type: string, format: date-time}
        metadata: {type: object}
        data: {type: object}
"""#
}
