/// The API's contract, served at `/openapi.yaml`. Tests hold the router to it (every route
/// served is described here and every path here is served), and CI holds the running server
/// to it with schemathesis (`.ci/schemathesis.sh`): every status a route answers is listed,
/// and the schemas say what the server checks.
import Foundation

enum OpenAPIDocument {
    /// The IANA time zones this system knows, as a JSON array: what `timezone` accepts
    /// (`UTC` among them, which the list of known identifiers leaves out).
    static let timeZonesJSON: String = {
        let zones = Set(TimeZone.knownTimeZoneIdentifiers + ["UTC"]).filter { TimeZone(identifier: $0) != nil }.sorted()
        return "[" + zones.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }()

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
    `{success: false, error: {code, message, details}, requestId}`. A request body may
    hold only the fields its schema lists: any other is refused with 400 naming it (a typo
    must not be silently dropped); an optional field given as null is as absent. Every PUT
    is partial: the fields it sends change, the others keep their value, and a field sent
    (criteria, keywords, channels) replaces that field whole. A method a path does not take
    answers 405 with `Allow`.
    Every route under /v1 but register, login and refresh takes `Authorization: Bearer
    <accessToken>` and acts in the caller's own workspace, or in the one `X-Workspace-Id`
    names.
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
  - name: webhooks
  - name: operations
paths:
  /healthz:
    get:
      operationId: health
      tags: [operations]
      summary: Liveness
      security: []
      responses:
        "200": {$ref: "#/components/responses/Health"}
  /readyz:
    get:
      operationId: readiness
      tags: [operations]
      summary: Ready once the projections have caught up with the log
      security: []
      responses:
        "200": {$ref: "#/components/responses/Health"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /metrics:
    get:
      operationId: metrics
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
      operationId: openAPIDocument
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
      operationId: register
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/auth/login:
    post:
      operationId: login
      tags: [auth]
      summary: Log in; five failures in a row lock the account for 15 minutes
      description: |
        A wrong password, an unknown email and a locked or erased account all answer 401
        UNAUTHORIZED alike, so that the answer tells nobody which accounts exist or are locked.
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/LoginRequest"}
      responses:
        "200":
          $ref: "#/components/responses/Tokens"
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/auth/refresh:
    post:
      operationId: refreshTokens
      tags: [auth]
      summary: Trade a refresh token for a new pair (the old refresh token stops working)
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [refreshToken]
              properties: {refreshToken: {type: string}}
      responses:
        "200": {$ref: "#/components/responses/Tokens"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/auth/logout:
    post:
      operationId: logout
      tags: [auth]
      summary: Close the session of the access token (its tokens stop working)
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      responses:
        "204": {description: Logged out}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/users/me:
    get:
      operationId: getMyProfile
      tags: [users]
      summary: The caller's profile in the current workspace
      parameters:
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Profile
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Profile"}}
          links:
            GetUser: {operationId: getUser, parameters: {userId: "$response.body#/data/userId"}}
            ListMembers: {operationId: listMembers, parameters: {workspaceId: "$response.body#/data/workspaceId"}}
            AddMember: {operationId: addMember, parameters: {workspaceId: "$response.body#/data/workspaceId"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    put:
      operationId: updateMyProfile
      tags: [users]
      summary: Update the profile, or change the password (which revokes every session)
      description: |
        A wrong currentPassword answers 401. Profile fields are checked before the password
        is changed: a request refused with 400 changed nothing.
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ProfileUpdate"}
      responses:
        "200":
          $ref: "#/components/responses/Profile"
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/users/{userId}:
    get:
      operationId: getUser
      tags: [users]
      summary: A member's profile (admins, members of their workspace only; others see only themselves)
      parameters:
        - {$ref: "#/components/parameters/UserIdPath"}
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200": {$ref: "#/components/responses/Profile"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/workspaces:
    get:
      operationId: listWorkspaces
      tags: [users]
      summary: The workspaces the caller belongs to, with their role in each
      parameters:
        - $ref: "#/components/parameters/MinPosition"
      responses:
        "200":
          description: Workspaces
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/WorkspaceList"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/workspaces/{workspaceId}/members:
    parameters:
      - $ref: "#/components/parameters/WorkspaceIdPath"
      - $ref: "#/components/parameters/WorkspaceId"
    get:
      operationId: listMembers
      tags: [users]
      summary: The workspace's members
      parameters:
        - $ref: "#/components/parameters/MinPosition"
      responses:
        "200":
          description: Members
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/MemberList"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    post:
      operationId: addMember
      tags: [users]
      summary: Add a registered user by email with a role (admins)
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [email, role]
              properties:
                email: {$ref: "#/components/schemas/Email"}
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
          links:
            GetUser: {operationId: getUser, parameters: {userId: "$response.body#/data/userId"}}
            ChangeMemberRole: {operationId: changeMemberRole, parameters: {workspaceId: "$request.path.workspaceId", userId: "$response.body#/data/userId"}}
            RemoveMember: {operationId: removeMember, parameters: {workspaceId: "$request.path.workspaceId", userId: "$response.body#/data/userId"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/workspaces/{workspaceId}/members/{userId}:
    parameters:
      - $ref: "#/components/parameters/WorkspaceIdPath"
      - $ref: "#/components/parameters/UserIdPath"
    put:
      operationId: changeMemberRole
      tags: [users]
      summary: Change a member's role (admins); the role they have already changes nothing
      description: A workspace keeps at least one admin (409 otherwise).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [role]
              properties:
                role: {$ref: "#/components/schemas/Role"}
      responses:
        "200":
          description: The member with the new role
          headers:
            X-Log-Position:
              description: The position the change reached; absent when the member had the role already (nothing written)
              schema: {type: integer, format: int64, minimum: 1}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Member"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    delete:
      operationId: removeMember
      tags: [users]
      summary: Remove a member from the workspace (admins); a workspace keeps at least one admin
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/content:
    get:
      operationId: listContent
      tags: [content]
      summary: Content of the workspace, newest first
      parameters:
        - $ref: "#/components/parameters/Limit"
        - $ref: "#/components/parameters/Cursor"
        - {name: status, in: query, schema: {$ref: "#/components/schemas/ContentStatus"}}
        - {name: authorId, in: query, schema: {$ref: "#/components/schemas/UserId"}}
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    post:
      operationId: createContent
      tags: [content]
      summary: Create content (editors and admins)
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ContentCreate"}
      responses:
        "201":
          description: Created
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Content"}}
          links: &contentLinks
            GetContent: {operationId: getContent, parameters: {contentId: "$response.body#/data/contentId"}}
            UpdateContent: {operationId: updateContent, parameters: {contentId: "$response.body#/data/contentId"}}
            DeleteContent: {operationId: deleteContent, parameters: {contentId: "$response.body#/data/contentId"}}
            ListVersions: {operationId: listContentVersions, parameters: {contentId: "$response.body#/data/contentId"}}
            RefineContent: {operationId: refineContent, parameters: {contentId: "$response.body#/data/contentId"}}
            GetAnalytics: {operationId: getContentAnalytics, parameters: {contentId: "$response.body#/data/contentId"}}
            GetTrends: {operationId: getTrends, parameters: {query.contentId: "$response.body#/data/contentId"}}
            Compare: {operationId: compareContent, parameters: {contentIds: "{$response.body#/data/contentId},{$response.body#/data/contentId}"}}
            RecordEngagement: {operationId: recordEngagement, requestBody: {contentId: "$response.body#/data/contentId"}}
            ScheduleContent: {operationId: createSchedule, requestBody: {contentId: "$response.body#/data/contentId"}}
            PublishContent: {operationId: publishContent, requestBody: {contentId: "$response.body#/data/contentId"}}
            ExportAnalytics: {operationId: exportAnalytics, requestBody: {contentIds: ["$response.body#/data/contentId"]}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/content/generate:
    post:
      operationId: generateContent
      tags: [content]
      summary: Generate content with the configured generator; recorded as ContentCreated
      description: |
        The offline generator by default; with SMARTCONTENT_GENERATOR_URL, an
        OpenAI-compatible chat-completions provider, which records generated.generator
        openai-compatible and the model it was given. The generated text must fit in a body
        (100,000 characters): a long topic asked for in many words may not, and answers 400
        naming length. A provider that is down or answers garbage gives 503
        GENERATOR_UNAVAILABLE.
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
          links: *contentLinks
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/GeneratorUnavailable"}
  /v1/content/{contentId}:
    parameters:
      - $ref: "#/components/parameters/ContentIdPath"
      - $ref: "#/components/parameters/WorkspaceId"
    get:
      operationId: getContent
      tags: [content]
      summary: One content, current version (deleted content too; its status says so)
      parameters:
        - $ref: "#/components/parameters/MinPosition"
      responses:
        "200": {$ref: "#/components/responses/ContentWritten"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    put:
      operationId: updateContent
      tags: [content]
      summary: Update (author, collaborators and admins); a new version
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ContentUpdate"}
      responses:
        "200": {$ref: "#/components/responses/ContentWritten"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    delete:
      operationId: deleteContent
      tags: [content]
      summary: Delete (author and admins; the content keeps its history, its status becomes deleted)
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/content/{contentId}/versions:
    get:
      operationId: listContentVersions
      tags: [content]
      summary: Version history, oldest first
      parameters:
        - $ref: "#/components/parameters/ContentIdPath"
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/content/{contentId}/refine:
    post:
      operationId: refineContent
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
        follow are listed in notApplied. With SMARTCONTENT_GENERATOR_URL the
        provider's model edits the text as the instructions say; tone, keywords, title and
        length are read from them as above (a length asked for is held to within 10 %, with
        one corrective request), and a provider that is down or answers garbage gives 503
        GENERATOR_UNAVAILABLE, changing nothing.
      parameters:
        - $ref: "#/components/parameters/ContentIdPath"
        - $ref: "#/components/parameters/WorkspaceId"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [instructions]
              properties:
                instructions: {type: string, minLength: 1, maxLength: 2000, pattern: "[^\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]", description: "1 to 2000 characters once trimmed"}
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/GeneratorUnavailable"}
  /v1/schedules:
    get:
      operationId: listSchedules
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
                  - properties: {data: {$ref: "#/components/schemas/SchedulePage"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    post:
      operationId: createSchedule
      tags: [schedules]
      summary: Schedule content for publication (editors and admins)
      description: |
        Besides the shapes below, the rules of state: the content must be in the workspace
        (else 404) and not deleted (409), publishTime must be in the future, every
        channel connected in the workspace, and the content postable within each Mastodon
        channel's character limit (else 400, naming the channel and the limit in details).
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ScheduleCreate"}
      responses:
        "201":
          description: Scheduled
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Schedule"}}
          links:
            GetSchedule: {operationId: getSchedule, parameters: {scheduleId: "$response.body#/data/scheduleId"}}
            UpdateSchedule: {operationId: updateSchedule, parameters: {scheduleId: "$response.body#/data/scheduleId"}}
            CancelSchedule: {operationId: cancelSchedule, parameters: {scheduleId: "$response.body#/data/scheduleId"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/schedules/optimal-times:
    get:
      operationId: getOptimalTimes
      tags: [schedules]
      summary: Hours of the week ranked by engagement in the workspace (0 = Monday), in the caller's time zone
      description: |
        Each UTC hour of engagement counts in the local hour of the week it starts in, in the time
        zone asked (timezone), else the user's profile timezone, else UTC; daylight-saving changes
        included.
      parameters:
        - $ref: "#/components/parameters/Limit"
        - {name: timezone, in: query, required: false, schema: {$ref: "#/components/schemas/TimeZone"}}
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/schedules/{scheduleId}:
    parameters:
      - $ref: "#/components/parameters/ScheduleIdPath"
      - $ref: "#/components/parameters/WorkspaceId"
    get:
      operationId: getSchedule
      tags: [schedules]
      summary: One schedule
      parameters:
        - $ref: "#/components/parameters/MinPosition"
      responses:
        "200": {$ref: "#/components/responses/ScheduleWritten"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    put:
      operationId: updateSchedule
      tags: [schedules]
      summary: Move a pending schedule, change its timezone or channels (the rules of a new schedule hold)
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ScheduleUpdate"}
      responses:
        "200": {$ref: "#/components/responses/ScheduleWritten"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    delete:
      operationId: cancelSchedule
      tags: [schedules]
      summary: Cancel a pending schedule
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/analytics/events:
    post:
      operationId: recordEngagement
      tags: [analytics]
      summary: Ingest engagement, one event or a batch of up to 1000 (idempotent by eventId)
      description: |
        Every content must be in the workspace and not deleted (else 404, details.contentId
        names the first missing); occurredAt may be at most 5 minutes ahead of the server's
        clock (else 400); an eventId given twice in one batch is refused (400); an eventId
        already used for another event answers 409. With Idempotency-Key, the events without
        an eventId get ids derived from the caller, the key and their place in the batch: a
        retried batch counts once (accepted 0).
      parameters:
        - $ref: "#/components/parameters/WorkspaceId"
        - name: Idempotency-Key
          in: header
          required: false
          description: makes a retried batch count once
          schema: {type: string, minLength: 1, maxLength: 255, pattern: "^[!-~]+$"}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              anyOf:
                - $ref: "#/components/schemas/Engagement"
                - $ref: "#/components/schemas/EngagementBatch"
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
                        required: [accepted, position]
                        properties:
                          accepted: {type: integer, minimum: 0, description: events new to the log}
                          position: {type: integer, format: int64, minimum: 0}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/analytics/content/{contentId}:
    get:
      operationId: getContentAnalytics
      tags: [analytics]
      summary: One content's daily analytics (UTC days)
      parameters:
        - $ref: "#/components/parameters/ContentIdPath"
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/analytics/dashboard:
    get:
      operationId: getDashboard
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/analytics/trends:
    get:
      operationId: getTrends
      tags: [analytics]
      summary: A daily series for the workspace, or for one content
      parameters:
        - $ref: "#/components/parameters/From"
        - $ref: "#/components/parameters/To"
        - {name: contentId, in: query, schema: {$ref: "#/components/schemas/ContentId"}}
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
                        required: [from, to, interval, points]
                        properties:
                          contentId: {$ref: "#/components/schemas/ContentId"}
                          from: {type: string, format: date}
                          to: {type: string, format: date}
                          interval: {type: string, enum: [day]}
                          points: {type: array, items: {$ref: "#/components/schemas/Daily"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/analytics/reports:
    get:
      operationId: getReport
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
                        required: [workspaceId, from, to, totals, topContent, bestPostingTimes, activeDays]
                        properties:
                          workspaceId: {$ref: "#/components/schemas/WorkspaceId"}
                          from: {type: string, format: date}
                          to: {type: string, format: date}
                          totals: {$ref: "#/components/schemas/Totals"}
                          topContent: {type: array, items: {$ref: "#/components/schemas/Ranking"}, description: "the leaders of the range: by views, clicks, shares and engagement in it"}
                          bestPostingTimes: {type: array, items: {$ref: "#/components/schemas/PostingTime"}, description: "hours of the week (UTC) ranked by the range's engagement"}
                          activeDays: {type: integer, minimum: 0}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/analytics/compare:
    get:
      operationId: compareContent
      tags: [analytics]
      summary: Several contents side by side
      parameters:
        - name: contentIds
          in: query
          required: true
          description: 2 to 20 content ids, comma-separated; each must be in the workspace (else 404)
          schema: {type: string, pattern: "^cnt_[A-Za-z0-9_-]{1,64}(,cnt_[A-Za-z0-9_-]{1,64}){1,19}$"}
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
                        required: [items]
                        properties:
                          items: {type: array, items: {$ref: "#/components/schemas/ContentAnalytics"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/analytics/export:
    post:
      operationId: exportAnalytics
      tags: [analytics]
      summary: Daily rows per content as JSON lines or CSV (no envelope)
      description: |
        A row per content and day: workspaceId, contentId, title, date, views, clicks, shares,
        engagement, conversions, conversionValue. Content-Disposition names the workspace and
        the range (analytics-wsp_…-FROM-TO.jsonl|csv).
      parameters:
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ExportRequest"}
      responses:
        "200":
          description: The rows
          content:
            application/x-ndjson:
              schema: {type: string}
            text/csv:
              schema: {type: string}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/audiences:
    get:
      operationId: listAudiences
      tags: [audiences]
      summary: The workspace's audiences
      parameters:
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Audiences
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/AudienceList"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    post:
      operationId: createAudience
      tags: [audiences]
      summary: Create an audience (editors and admins)
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/AudienceCreate"}
      responses:
        "201":
          description: Created
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Audience"}}
          links:
            GetAudience: {operationId: getAudience, parameters: {audienceId: "$response.body#/data/audienceId"}}
            UpdateAudience: {operationId: updateAudience, parameters: {audienceId: "$response.body#/data/audienceId"}}
            DeleteAudience: {operationId: deleteAudience, parameters: {audienceId: "$response.body#/data/audienceId"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/audiences/{audienceId}:
    parameters:
      - $ref: "#/components/parameters/AudienceIdPath"
      - $ref: "#/components/parameters/WorkspaceId"
    get:
      operationId: getAudience
      tags: [audiences]
      summary: One audience
      parameters:
        - $ref: "#/components/parameters/MinPosition"
      responses:
        "200": {$ref: "#/components/responses/AudienceWritten"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    put:
      operationId: updateAudience
      tags: [audiences]
      summary: Rename or redefine an audience (editors and admins); what is left out stays
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/AudienceUpdate"}
      responses:
        "200": {$ref: "#/components/responses/AudienceWritten"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    delete:
      operationId: deleteAudience
      tags: [audiences]
      summary: Delete an audience (editors and admins)
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/distribution/channels:
    get:
      operationId: listChannels
      tags: [distribution]
      summary: Connected channels (never their secrets or access tokens)
      parameters:
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Channels
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/ChannelList"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    post:
      operationId: connectChannel
      tags: [distribution]
      summary: Connect a webhook or Mastodon channel (admins)
      description: |
        A webhook (`{name, kind: "webhook", url, secret?}`) receives each delivery as a signed
        JSON document. A Mastodon channel (`{name, kind: "mastodon", instanceUrl, accessToken}`)
        posts each delivery as a public status; connecting reads the instance's character
        limit from `GET {instanceUrl}/api/v2/instance` (`configuration.statuses.max_characters`)
        and keeps Mastodon's default of 500 when the instance cannot be read or does not say
        (characterLimitSource `default`, characterLimitNote says why). A field of the other
        kind is refused (400). The access token is stored sealed and never served.
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ChannelCreate"}
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
          links:
            DisconnectChannel: {operationId: disconnectChannel, parameters: {channelId: "$response.body#/data/channelId"}}
            RotateSecret: {operationId: rotateChannelSecret, parameters: {channelId: "$response.body#/data/channelId"}}
            Resume: {operationId: resumeChannel, parameters: {channelId: "$response.body#/data/channelId"}}
            PublishTo: {operationId: publishContent, requestBody: {channels: ["$response.body#/data/channelId"]}}
            ScheduleTo: {operationId: createSchedule, requestBody: {channels: ["$response.body#/data/channelId"]}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/distribution/channels/{channelId}:
    delete:
      operationId: disconnectChannel
      tags: [distribution]
      summary: Disconnect a channel (admins); refused while pending schedules use it
      parameters:
        - $ref: "#/components/parameters/ChannelIdPath"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/distribution/channels/{channelId}/preview:
    get:
      operationId: previewPost
      tags: [distribution]
      summary: The text a channel that posts text (Mastodon) would post for a content now
      description: |
        The title, a blank line and the body, the body cut on a word boundary with "…" to fit
        the channel's character limit (the title alone when no word of it fits). Characters
        are counted as Mastodon counts them (grapheme clusters, a link as 23). When the title
        alone is over the limit, problem says so: scheduling or publishing it there is refused.
        A webhook receives the content whole: 400.
      parameters:
        - $ref: "#/components/parameters/ChannelIdPath"
        - {name: contentId, in: query, required: true, schema: {$ref: "#/components/schemas/ContentId"}}
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: The preview
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/PostPreview"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/distribution/channels/{channelId}/rotate-secret:
    post:
      operationId: rotateChannelSecret
      tags: [distribution]
      summary: Replace a channel's signing secret (admins)
      description: |
        Deliveries carry a signature by each secret (space-separated in webhook-signature)
        until previousSecretExpiresAt, so the receiver can switch at its own pace. The new
        secret is in this answer only.
      parameters:
        - $ref: "#/components/parameters/ChannelIdPath"
        - $ref: "#/components/parameters/WorkspaceId"
      requestBody:
        required: false
        content:
          application/json:
            schema: {$ref: "#/components/schemas/SecretRotation"}
      responses:
        "200":
          description: Rotated
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/RotatedSecret"}}
        "413": {$ref: "#/components/responses/TooLarge"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/distribution/channels/{channelId}/resume:
    post:
      operationId: resumeChannel
      tags: [distribution]
      summary: Let a paused channel's deliveries go again (admins); 409 when it is not paused
      parameters:
        - $ref: "#/components/parameters/ChannelIdPath"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Resumed
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Channel"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/distribution/publish:
    post:
      operationId: publishContent
      tags: [distribution]
      summary: Publish content to channels now (editors and admins); a queued job
      description: |
        The content must be in the workspace (else 404) and not deleted (409); every
        channel must be connected in the workspace (else 400), and the content must be
        postable within each Mastodon channel's character limit (else 400 naming the
        channel and the limit in details). previews shows what those channels will post.
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/PublishRequest"}
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
                        required: [jobId, status, previews]
                        properties:
                          jobId: {$ref: "#/components/schemas/JobId"}
                          status: {type: string, enum: [queued]}
                          previews: {type: array, items: {$ref: "#/components/schemas/PostPreview"}}
          links:
            GetJob: {operationId: getJob, parameters: {jobId: "$response.body#/data/jobId"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/distribution/status/{jobId}:
    get:
      operationId: getJob
      tags: [distribution]
      summary: A publication job and its deliveries
      parameters:
        - $ref: "#/components/parameters/JobIdPath"
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/distribution/status/{jobId}/retry:
    post:
      operationId: retryJob
      tags: [distribution]
      summary: Send a job's dead-lettered and failed deliveries again (editors and admins)
      description: |
        Each gets a fresh budget of attempts and keeps its webhook-id, so a receiver that
        deduplicates takes it once. 409 when no delivery of the job has given up.
      parameters:
        - $ref: "#/components/parameters/JobIdPath"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "202":
          description: Queued again
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Job"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/webhooks:
    get:
      operationId: listWebhooks
      tags: [webhooks]
      summary: The workspace's webhook subscriptions (never their secrets)
      parameters:
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Subscriptions
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/WebhookList"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
    post:
      operationId: createWebhook
      tags: [webhooks]
      summary: Subscribe a URL to the workspace's events (admins)
      description: |
        Every event of the workspace appended from now on whose type the subscription
        names is POSTed to `url` as a Standard Webhooks message `{type, timestamp, data,
        position, eventId, workspaceId}`, signed with the subscription's secret
        (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
        "id.timestamp.body">`). Retried with backoff on connection errors, timeouts, 408,
        429 and 5xx, then dead-lettered, as channel deliveries are. A subscription to the
        `notification.*` types is the workspace's notification webhook: its messages name
        the person they are for (`data.recipient: {userId, name}`). At most 20 per workspace.
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/WebhookCreate"}
      responses:
        "201":
          description: Subscribed
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/Webhook"}}
          links:
            DeleteWebhook: {operationId: deleteWebhook, parameters: {webhookId: "$response.body#/data/webhookId"}}
            ReplayWebhook: {operationId: replayWebhook, parameters: {webhookId: "$response.body#/data/webhookId"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "409": {$ref: "#/components/responses/Conflict"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/webhooks/{webhookId}:
    delete:
      operationId: deleteWebhook
      tags: [webhooks]
      summary: Unsubscribe (admins); pending messages are dropped and the secret destroyed
      parameters:
        - $ref: "#/components/parameters/WebhookIdPath"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "204": {$ref: "#/components/responses/Deleted"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/webhooks/{webhookId}/deliveries:
    get:
      operationId: listWebhookDeliveries
      tags: [webhooks]
      summary: The subscription's messages and where their attempts stand, by log position (admins)
      description: |
        What was delivered, what is retrying, what gave up: a page looks at no more than
        10,000 messages, so filtering on a rare status answers promptly and its nextCursor
        resumes the scan. Replay from a dead letter's position to send it again.
      parameters:
        - $ref: "#/components/parameters/WebhookIdPath"
        - $ref: "#/components/parameters/Limit"
        - $ref: "#/components/parameters/Cursor"
        - {name: fromPosition, in: query, description: the first log position to list, schema: {$ref: "#/components/schemas/LogPosition"}}
        - {name: status, in: query, schema: {$ref: "#/components/schemas/DeliveryStatus"}}
        - $ref: "#/components/parameters/MinPosition"
        - $ref: "#/components/parameters/WorkspaceId"
      responses:
        "200":
          description: Messages
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/WebhookDeliveryList"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/webhooks/{webhookId}/replay:
    post:
      operationId: replayWebhook
      tags: [webhooks]
      summary: Deliver again every message from a log position on (admins)
      description: |
        Every message of the subscription for an event at `fromPosition` or later is sent
        again with its webhook-id and body kept and a fresh budget of attempts, delivered,
        failed and dead-lettered alike; those still pending go on as they are. Events from
        before the subscription was made were never its messages. 400 when the position
        is beyond the end of the log.
      parameters:
        - $ref: "#/components/parameters/WebhookIdPath"
        - $ref: "#/components/parameters/WorkspaceId"
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/WebhookReplayRequest"}
      responses:
        "202":
          description: Queued again
          headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Envelope"
                  - properties: {data: {$ref: "#/components/schemas/WebhookReplay"}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/events:
    get:
      operationId: listEvents
      tags: [operations]
      summary: The workspace's events of the log in the wire format, by position (admins; password hashes redacted)
      parameters:
        - $ref: "#/components/parameters/Limit"
        - {name: cursor, in: query, description: "the nextCursor of the previous page: the last position it scanned (an unsigned 64-bit integer)", schema: {$ref: "#/components/schemas/LogPosition"}}
        - {name: after, in: query, description: "the same as cursor (cursor wins when both are given)", schema: {$ref: "#/components/schemas/LogPosition"}}
        - {name: stream, in: query, description: a stream name prefix, schema: {type: string}}
        - {name: type, in: query, description: an event type, schema: {type: string}}
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
                        required: [items, nextCursor]
                        properties:
                          items: {type: array, items: {$ref: "#/components/schemas/WireEvent"}}
                          nextCursor: {type: string, nullable: true, pattern: "^[0-9]+$"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/projections:
    get:
      operationId: listProjections
      tags: [operations]
      summary: Each projection's checkpoint, lag and state
      parameters: [{$ref: "#/components/parameters/WorkspaceId"}]
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
                          required: [name, checkpoint, lag, status]
                          properties:
                            name: {type: string}
                            checkpoint: {type: integer, format: int64, minimum: 0}
                            lag: {type: integer, format: int64, minimum: 0}
                            status: {type: string, enum: [catching_up, live, failed, stopped]}
                            error: {type: string}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/NotFound"}
        "429": {$ref: "#/components/responses/RateLimited"}
        "503": {$ref: "#/components/responses/Unavailable"}
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      bearerFormat: JWT
  headers:
    X-Log-Position:
      description: The log position the write reached; give it as X-Min-Position to read your write
      required: true
      schema: {type: integer, format: int64, minimum: 0}
    Retry-After:
      description: Seconds to wait before trying again
      required: true
      schema: {type: integer, minimum: 1}
  parameters:
    MinPosition:
      name: minPosition
      in: query
      description: |
        Read-your-writes - wait (at most the read timeout, then 503) until the projection has
        folded this log position. A position beyond the end of the log answers 400 (no write
        ever returned it). Also as the X-Min-Position header; given both, the greater is
        waited for, and a malformed one is refused wherever it is.
      schema: {type: integer, format: int64, minimum: 0}
    WorkspaceId:
      name: X-Workspace-Id
      in: header
      description: |
        Act in another workspace the caller belongs to. Any other id, well-formed or not,
        answers 404 NOT_FOUND exactly as an absent workspace; an empty value is as absent.
      schema: {type: string, pattern: "^(wsp_[A-Za-z0-9_-]{1,64})?$"}
    Limit:
      name: limit
      in: query
      schema: {type: integer, minimum: 1, maximum: 100, default: 20}
    Cursor:
      name: cursor
      in: query
      description: The nextCursor of the previous page (lower-case hex; anything else answers 400)
      schema: {type: string, pattern: "^([0-9a-f]{2}){1,511}$"}
    From:
      name: from
      in: query
      description: First UTC day, YYYY-MM-DD (default 29 days before to); not after to, at most 366 days before it
      schema: {type: string, format: date}
    To:
      name: to
      in: query
      description: Last UTC day, YYYY-MM-DD (default today)
      schema: {type: string, format: date}
    ContentIdPath: {name: contentId, in: path, required: true, schema: {$ref: "#/components/schemas/ContentId"}}
    ScheduleIdPath: {name: scheduleId, in: path, required: true, schema: {$ref: "#/components/schemas/ScheduleId"}}
    AudienceIdPath: {name: audienceId, in: path, required: true, schema: {$ref: "#/components/schemas/AudienceId"}}
    ChannelIdPath: {name: channelId, in: path, required: true, schema: {$ref: "#/components/schemas/ChannelId"}}
    WebhookIdPath: {name: webhookId, in: path, required: true, schema: {$ref: "#/components/schemas/WebhookId"}}
    JobIdPath: {name: jobId, in: path, required: true, schema: {$ref: "#/components/schemas/JobId"}}
    UserIdPath: {name: userId, in: path, required: true, schema: {$ref: "#/components/schemas/UserId"}}
    WorkspaceIdPath: {name: workspaceId, in: path, required: true, schema: {$ref: "#/components/schemas/WorkspaceId"}}
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
                    required: [status, lastPosition]
                    properties:
                      status: {type: string, enum: [ok, ready]}
                      lastPosition: {type: integer, format: int64, minimum: 0}
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
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties: {data: {$ref: "#/components/schemas/Content"}}
    ScheduleWritten:
      description: The schedule
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties: {data: {$ref: "#/components/schemas/Schedule"}}
    AudienceWritten:
      description: The audience
      content:
        application/json:
          schema:
            allOf:
              - $ref: "#/components/schemas/Envelope"
              - properties: {data: {$ref: "#/components/schemas/Audience"}}
    Deleted:
      description: Done
      headers: {X-Log-Position: {$ref: "#/components/headers/X-Log-Position"}}
    BadRequest:
      description: |
        Malformed or out-of-range input: INVALID_PARAMETERS, details.field names the field (a
        path parameter, a query parameter, minPosition, cursor, body, or a body field such as
        events[2].value).
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    Unauthorized:
      description: No, invalid, expired or revoked token; bad credentials (UNAUTHORIZED)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    Forbidden:
      description: The caller's role in the workspace does not allow it (FORBIDDEN)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    NotFound:
      description: |
        NOT_FOUND: absent, or another workspace's (the two look alike); also the workspace of an
        X-Workspace-Id the caller does not belong to.
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    Conflict:
      description: |
        VERSION_CONFLICT, ALREADY_EXISTS (an email registered, a member added, an audience name
        taken), or INVALID_STATE (deleted content, a schedule no longer pending, the last admin, a
        channel that pending schedules use: details.schedules lists them)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    TooLarge:
      description: Body over 10 MB (PAYLOAD_TOO_LARGE)
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    RateLimited:
      description: Too many requests from this user or IP address (RATE_LIMITED)
      headers: {Retry-After: {$ref: "#/components/headers/Retry-After"}}
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    Unavailable:
      description: |
        NOT_READY or NOT_YET_CONSISTENT (a read-your-writes wait timed out; both with
        Retry-After), PROJECTION_FAILED or PROJECTION_UNAVAILABLE, or the generator is down.
      content: {application/json: {schema: {$ref: "#/components/schemas/ErrorEnvelope"}}}
    GeneratorUnavailable:
      description: |
        NOT_READY or NOT_YET_CONSISTENT as for any read (with Retry-After), or
        GENERATOR_UNAVAILABLE: the configured provider (SMARTCONTENT_GENERATOR_URL) gave no
        usable answer after its retries. The message says what went wrong; details.provider
        names it (openai-compatible), details.reason is unreachable, timeout, http_status or
        malformed_answer, details.attempts counts the requests sent, details.status is the
        provider's HTTP status for http_status. When the provider asked to wait (429 or 503
        with Retry-After), the answer carries its Retry-After. Nothing was written.
      headers: {Retry-After: {$ref: "#/components/headers/Retry-After"}}
      content:
        application/json:
          schema: {$ref: "#/components/schemas/ErrorEnvelope"}
          example:
            success: false
            error:
              code: GENERATOR_UNAVAILABLE
              message: http://localhost:11434/v1/chat/completions did not answer within 30 s
              details: {provider: openai-compatible, reason: timeout, attempts: "3"}
            requestId: req_0123456789abcdef
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
            code: {type: string, pattern: "^[A-Z0-9_]+$", example: INVALID_PARAMETERS}
            message: {type: string}
            details: {type: object, additionalProperties: {type: string}}
        requestId: {type: string}
    UserId: {type: string, pattern: "^usr_[A-Za-z0-9_-]{1,64}$"}
    WorkspaceId: {type: string, pattern: "^wsp_[A-Za-z0-9_-]{1,64}$"}
    ContentId: {type: string, pattern: "^cnt_[A-Za-z0-9_-]{1,64}$"}
    ScheduleId: {type: string, pattern: "^sch_[A-Za-z0-9_-]{1,64}$"}
    ChannelId: {type: string, pattern: "^chn_[A-Za-z0-9_-]{1,64}$"}
    WebhookId: {type: string, pattern: "^whk_[A-Za-z0-9_-]{1,64}$"}
    JobId: {type: string, pattern: "^job_[A-Za-z0-9_-]{1,64}$"}
    AudienceId: {type: string, pattern: "^aud_[A-Za-z0-9_-]{1,64}$"}
    LogPosition:
      description: A log position as the query gives it, an unsigned 64-bit integer (0 to 18446744073709551615)
      type: string
      pattern: "^\\+?0*([0-9]{1,19}|0[0-9]{19}|1[0-7][0-9]{18}|18[0-3][0-9]{17}|184[0-3][0-9]{16}|1844[0-5][0-9]{15}|18446[0-6][0-9]{14}|184467[0-3][0-9]{13}|1844674[0-3][0-9]{12}|184467440[0-6][0-9]{10}|1844674407[0-2][0-9]{9}|18446744073[0-6][0-9]{8}|1844674407370[0-8][0-9]{6}|18446744073709[0-4][0-9]{5}|184467440737095[0-4][0-9]{4}|18446744073709550[0-9]{3}|18446744073709551[0-5][0-9]{2}|1844674407370955160[0-9]{1}|1844674407370955161[0-5])$"
    Role: {type: string, enum: [admin, editor, viewer]}
    ContentType: {type: string, enum: [blog_post, article, social_media, email, ad_copy, product_description, newsletter]}
    Tone: {type: string, enum: [professional, casual, friendly, formal, humorous, persuasive, informative, enthusiastic]}
    ContentStatus: {type: string, enum: [draft, scheduled, published, deleted]}
    EngagementKind: {type: string, enum: [view, click, share, conversion, engagement]}
    Instant:
      description: |
        A moment: RFC 3339 (2026-02-15T10:30:00.123Z, any offset), or a bare day (2026-02-15,
        its midnight UTC).
      anyOf:
        - {type: string, format: date-time}
        - {type: string, format: date}
    TimeZone:
      description: An IANA time zone this server knows (its tz database)
      type: string
      enum: \#(OpenAPIDocument.timeZonesJSON)
    Email:
      type: string
      maxLength: 254
      pattern: "^[^@\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+@[A-Za-z0-9][^@\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*\\.[A-Za-z0-9]([^@\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*[^@\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000.])?$"
      description: |
        local@domain.tld, at most 254 bytes, compared without regard to case. The server reads
        characters as Unicode grapheme clusters, where a combining mark joins the character
        before it: the pattern asks for the form that is safe from that, a letter or digit of
        ASCII after the @ and after a dot of the domain.
    Name: {type: string, minLength: 1, maxLength: 100, pattern: "[^\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]", description: "1 to 100 characters once trimmed"}
    Keywords:
      type: array
      maxItems: 20
      description: duplicates (ignoring case) are dropped
      items: {type: string, minLength: 1, maxLength: 50, pattern: "[^\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]", description: "1 to 50 characters once trimmed"}
    Title:
      type: string
      minLength: 1
      maxLength: 200
      pattern: "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x1f\\x7f-\\x9f\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
      description: one line, 1 to 200 characters once trimmed, no control characters
    Body: {type: string, minLength: 1, maxLength: 100000, pattern: "[^\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]", description: "at most 100,000 characters, not blank"}
    Password:
      type: string
      minLength: 12
      maxLength: 128
      description: 12 to 128 characters mixing at least three of lower case, upper case, digits and symbols (anything else but white space)
      anyOf:
        - allOf: [{pattern: "\\p{Ll}"}, {pattern: "\\p{Lu}"}, {pattern: "\\p{N}"}]
        - allOf: [{pattern: "\\p{Ll}"}, {pattern: "\\p{Lu}"}, {pattern: "[^\\p{L}\\p{N}\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"}]
        - allOf: [{pattern: "\\p{Ll}"}, {pattern: "\\p{N}"}, {pattern: "[^\\p{L}\\p{N}\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"}]
        - allOf: [{pattern: "\\p{Lu}"}, {pattern: "\\p{N}"}, {pattern: "[^\\p{L}\\p{N}\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"}]
    WorkspaceList:
      type: object
      required: [items, nextCursor]
      properties: {items: {type: array, items: {$ref: "#/components/schemas/Workspace"}}, nextCursor: {type: string, nullable: true}}
    Workspace:
      type: object
      required: [workspaceId, name, role, ownerId, createdAt]
      properties:
        workspaceId: {$ref: "#/components/schemas/WorkspaceId"}
        name: {type: string}
        role: {allOf: [{$ref: "#/components/schemas/Role"}], description: "the caller's role there"}
        ownerId: {$ref: "#/components/schemas/UserId"}
        createdAt: {type: string, format: date-time}
    MemberList:
      type: object
      required: [items, nextCursor]
      properties: {items: {type: array, items: {$ref: "#/components/schemas/Member"}}, nextCursor: {type: string, nullable: true}}
    ContentVersionList:
      type: object
      required: [items, nextCursor]
      properties: {items: {type: array, items: {$ref: "#/components/schemas/ContentVersion"}}, nextCursor: {type: string, nullable: true}}
    AudienceList:
      type: object
      required: [items, nextCursor]
      properties: {items: {type: array, items: {$ref: "#/components/schemas/Audience"}}, nextCursor: {type: string, nullable: true}}
    ChannelList:
      type: object
      required: [items, nextCursor]
      properties: {items: {type: array, items: {$ref: "#/components/schemas/Channel"}}, nextCursor: {type: string, nullable: true}}
    ContentPage:
      type: object
      required: [items, nextCursor]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Content"}}
        nextCursor: {type: string, nullable: true, pattern: "^([0-9a-f]{2})+$"}
    SchedulePage:
      type: object
      required: [items, nextCursor]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Schedule"}}
        nextCursor: {type: string, nullable: true, pattern: "^([0-9a-f]{2})+$"}
    RegisterRequest:
      type: object
      additionalProperties: false
      required: [email, password, name]
      properties:
        email: {$ref: "#/components/schemas/Email"}
        password: {$ref: "#/components/schemas/Password"}
        name: {$ref: "#/components/schemas/Name"}
    LoginRequest:
      type: object
      additionalProperties: false
      required: [email, password]
      properties:
        email: {type: string}
        password: {type: string}
    RegisteredUser:
      type: object
      required: [userId, workspaceId, email, name, role]
      properties:
        userId: {$ref: "#/components/schemas/UserId"}
        workspaceId: {$ref: "#/components/schemas/WorkspaceId"}
        email: {type: string}
        name: {type: string}
        role: {$ref: "#/components/schemas/Role"}
    Tokens:
      type: object
      required: [accessToken, refreshToken, tokenType, expiresIn]
      properties:
        accessToken: {type: string}
        refreshToken: {type: string}
        tokenType: {type: string, enum: [Bearer]}
        expiresIn: {type: integer, minimum: 1, description: seconds}
    Profile:
      type: object
      required: [userId, workspaceId, email, name, locked, failedLogins, createdAt]
      properties:
        userId: {$ref: "#/components/schemas/UserId"}
        workspaceId: {allOf: [{$ref: "#/components/schemas/WorkspaceId"}], description: "the workspace the request acts in (X-Workspace-Id, else the caller's own), of which role is the role"}
        email: {type: string}
        name: {type: string}
        bio: {type: string}
        timezone: {type: string}
        role: {$ref: "#/components/schemas/Role"}
        locked: {type: boolean}
        failedLogins: {type: integer, minimum: 0}
        createdAt: {type: string, format: date-time}
    ProfileUpdate:
      type: object
      additionalProperties: false
      description: |
        At least one of name, bio and timezone, or currentPassword with newPassword (a null is
        as absent).
      properties:
        name: {allOf: [{$ref: "#/components/schemas/Name"}], nullable: true}
        bio: {type: string, maxLength: 2000, nullable: true}
        timezone: {allOf: [{$ref: "#/components/schemas/TimeZone"}], nullable: true}
        currentPassword: {type: string, nullable: true}
        newPassword: {allOf: [{$ref: "#/components/schemas/Password"}], nullable: true}
      anyOf:
        - {required: [name], properties: {name: {type: string}}}
        - {required: [bio], properties: {bio: {type: string}}}
        - {required: [timezone], properties: {timezone: {type: string}}}
        - {required: [currentPassword, newPassword], properties: {currentPassword: {type: string}, newPassword: {type: string}}}
      not:
        anyOf:
          - {required: [currentPassword], properties: {currentPassword: {type: string}}, not: {required: [newPassword], properties: {newPassword: {type: string}}}}
          - {required: [newPassword], properties: {newPassword: {type: string}}, not: {required: [currentPassword], properties: {currentPassword: {type: string}}}}
    Member:
      type: object
      required: [userId, email, name, role]
      properties:
        userId: {$ref: "#/components/schemas/UserId"}
        email: {type: string}
        name: {type: string}
        role: {$ref: "#/components/schemas/Role"}
    Content:
      type: object
      required: [contentId, workspaceId, authorId, title, body, contentType, tone, keywords, status, version, collaborators, createdAt, updatedAt]
      properties:
        contentId: {$ref: "#/components/schemas/ContentId"}
        workspaceId: {$ref: "#/components/schemas/WorkspaceId"}
        authorId: {$ref: "#/components/schemas/UserId"}
        title: {type: string}
        body: {type: string}
        contentType: {$ref: "#/components/schemas/ContentType"}
        tone:
          nullable: true
          allOf: [{$ref: "#/components/schemas/Tone"}]
        keywords: {type: array, items: {type: string}}
        status: {$ref: "#/components/schemas/ContentStatus"}
        version: {type: integer, minimum: 1}
        collaborators: {type: array, items: {$ref: "#/components/schemas/UserId"}}
        createdAt: {type: string, format: date-time}
        updatedAt: {type: string, format: date-time}
    ContentCreate:
      type: object
      additionalProperties: false
      required: [title, body, contentType]
      properties:
        title: {$ref: "#/components/schemas/Title"}
        body: {$ref: "#/components/schemas/Body"}
        contentType: {$ref: "#/components/schemas/ContentType"}
        tone: {allOf: [{$ref: "#/components/schemas/Tone"}], nullable: true}
        keywords: {allOf: [{$ref: "#/components/schemas/Keywords"}], nullable: true}
    ContentUpdate:
      type: object
      additionalProperties: false
      description: At least one of title, body, contentType, tone and keywords (a null is as absent).
      properties:
        title: {allOf: [{$ref: "#/components/schemas/Title"}], nullable: true}
        body: {allOf: [{$ref: "#/components/schemas/Body"}], nullable: true}
        contentType: {allOf: [{$ref: "#/components/schemas/ContentType"}], nullable: true}
        tone: {allOf: [{$ref: "#/components/schemas/Tone"}], nullable: true}
        keywords: {allOf: [{$ref: "#/components/schemas/Keywords"}], nullable: true}
        changes: {type: string, nullable: true, description: what changed, kept with the version}
        expectedVersion:
          type: integer
          format: int64
          nullable: true
          description: refuse with 409 VERSION_CONFLICT unless the content is at this version
      anyOf:
        - {required: [title], properties: {title: {type: string}}}
        - {required: [body], properties: {body: {type: string}}}
        - {required: [contentType], properties: {contentType: {type: string}}}
        - {required: [tone], properties: {tone: {type: string}}}
        - {required: [keywords], properties: {keywords: {type: array}}}
    ContentVersion:
      type: object
      required: [version, title, body, changes, editedBy, editedAt]
      properties:
        version: {type: integer, minimum: 1}
        title: {type: string}
        body: {type: string}
        changes: {type: string}
        editedBy: {$ref: "#/components/schemas/UserId"}
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
      additionalProperties: false
      required: [contentType, topic, length]
      properties:
        contentType: {$ref: "#/components/schemas/ContentType"}
        topic:
          type: string
          minLength: 1
          maxLength: 500
          pattern: "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x1f\\x7f-\\x9f\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
          description: one line, 1 to 500 characters once trimmed, no control characters
        tone: {allOf: [{$ref: "#/components/schemas/Tone"}], nullable: true, description: default professional}
        length:
          type: integer
          minimum: 10
          maximum: 5000
          description: >-
            Words (the text lands within 10 % of it). The minimum depends on contentType:
            10 for social_media and ad_copy, 50 for email and product_description, 100 for
            blog_post, article and newsletter.
        keywords: {allOf: [{$ref: "#/components/schemas/Keywords"}], nullable: true}
        targetAudience: {type: string, nullable: true}
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
      required: [contentId, title, body, contentType, keywords, status, version, metadata]
      properties:
        contentId: {$ref: "#/components/schemas/ContentId"}
        title: {type: string}
        body: {type: string}
        contentType: {$ref: "#/components/schemas/ContentType"}
        tone: {$ref: "#/components/schemas/Tone"}
        keywords: {type: array, items: {type: string}}
        status: {$ref: "#/components/schemas/ContentStatus"}
        version: {type: integer, minimum: 1}
        metadata:
          type: object
          required: [wordCount, readingTime, generatedAt, generator, model, topic, length]
          properties:
            wordCount: {type: integer, minimum: 0}
            readingTime: {type: integer, minimum: 1, description: minutes}
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
      required: [scheduleId, contentId, workspaceId, publishTime, timezone, channels, status, localPublishTime,
                 requestedLocalTime, firedCount]
      properties:
        scheduleId: {$ref: "#/components/schemas/ScheduleId"}
        contentId: {$ref: "#/components/schemas/ContentId"}
        workspaceId: {$ref: "#/components/schemas/WorkspaceId"}
        publishTime: {type: string, format: date-time, description: the next occurrence (the only one of a one-off), in UTC}
        timezone: {type: string}
        channels: {type: array, items: {$ref: "#/components/schemas/ChannelId"}}
        status:
          type: string
          enum: [scheduled, cancelled, published, failed, missed]
          description: |
            published once its last occurrence fired (its distribution job, jobId, was requested);
            missed when that occurrence was overdue beyond the grace period (missedReason says why).
        localPublishTime: {$ref: "#/components/schemas/LocalDateTime"}
        requestedLocalTime:
          allOf: [{$ref: "#/components/schemas/LocalDateTime"}]
          description: the wall-clock time asked for this occurrence; differs from localPublishTime when a DST change skips it
        localTimeAdjustment:
          type: string
          enum: [skipped, repeated]
          description: |
            Set when the local time asked is one a daylight-saving change skips (shifted forward by the
            gap) or repeats (its first occurrence is used); localTimeNote says how it was resolved.
        localTimeNote: {type: string}
        recurrence: {$ref: "#/components/schemas/Recurrence"}
        firedCount: {type: integer, minimum: 0}
        lastFiredAt: {type: string, format: date-time}
        jobId: {$ref: "#/components/schemas/JobId"}
        missedReason: {type: string}
        previews:
          type: array
          items: {$ref: "#/components/schemas/PostPreview"}
          description: |
            In the answers about one schedule, while it is pending: what its channels that post
            text (Mastodon) will post, from the content as it is now.
    PostPreview:
      type: object
      required: [channelId, text, characters, limit]
      properties:
        channelId: {$ref: "#/components/schemas/ChannelId"}
        text: {type: string, description: the status that will be posted}
        characters: {type: integer, minimum: 0, description: "as Mastodon counts them: grapheme clusters, a link as 23"}
        limit: {type: integer, minimum: 1}
        problem: {type: string, description: "set when the content (edited since) can no longer be posted: text is then its title, alone over the limit"}
    LocalDateTime:
      description: A wall-clock date and time without offset, read in the schedule's timezone
      type: string
      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?$"
    PublishTime:
      description: |
        An RFC 3339 instant (with Z or an offset), or a local date-time without offset
        (2027-01-01T09:00:00) read in the schedule's timezone. A local time a daylight-saving
        change skips is shifted forward by the gap; one it repeats is its first occurrence.
      anyOf:
        - {$ref: "#/components/schemas/Instant"}
        - {$ref: "#/components/schemas/LocalDateTime"}
    Recurrence:
      type: object
      additionalProperties: false
      required: [frequency]
      description: |
        Repeats at the same wall-clock time in the schedule's timezone (across DST changes): every
        interval days (daily) or weeks (weekly, on the first occurrence's weekday), up to and
        including the local date until.
      properties:
        frequency: {type: string, enum: [daily, weekly]}
        interval: {type: integer, minimum: 1, maximum: 366, default: 1}
        until: {type: string, format: date}
    ScheduleChannels:
      type: array
      minItems: 1
      maxItems: 20
      uniqueItems: true
      items: {$ref: "#/components/schemas/ChannelId"}
      description: channels connected in the workspace
    ScheduleCreate:
      type: object
      additionalProperties: false
      required: [contentId, publishTime, timezone, channels]
      properties:
        contentId: {$ref: "#/components/schemas/ContentId"}
        publishTime: {allOf: [{$ref: "#/components/schemas/PublishTime"}], description: in the future}
        timezone: {$ref: "#/components/schemas/TimeZone"}
        channels: {$ref: "#/components/schemas/ScheduleChannels"}
        recurrence: {allOf: [{$ref: "#/components/schemas/Recurrence"}], nullable: true}
    ScheduleUpdate:
      type: object
      additionalProperties: false
      description: Fields left out (or null) keep their value.
      properties:
        publishTime: {allOf: [{$ref: "#/components/schemas/PublishTime"}], nullable: true, description: in the future}
        timezone:
          allOf: [{$ref: "#/components/schemas/TimeZone"}]
          nullable: true
          description: without a new publishTime, the wall-clock time is kept, now in this zone
        channels: {allOf: [{$ref: "#/components/schemas/ScheduleChannels"}], nullable: true}
        recurrence: {allOf: [{$ref: "#/components/schemas/Recurrence"}], nullable: true}
    PostingTime:
      type: object
      required: [dayOfWeek, hour, totals]
      properties:
        dayOfWeek: {type: integer, minimum: 0, maximum: 6, description: 0 is Monday}
        hour: {type: integer, minimum: 0, maximum: 23}
        totals: {$ref: "#/components/schemas/Totals"}
    Engagement:
      type: object
      additionalProperties: false
      required: [contentId, kind]
      properties:
        contentId: {$ref: "#/components/schemas/ContentId"}
        kind: {$ref: "#/components/schemas/EngagementKind"}
        userId:
          type: string
          nullable: true
          minLength: 1
          maxLength: 128
          pattern: "^[^\\x00-\\x1f\\x7f]*$"
          description: the reader - a user id or any opaque reader id, 1 to 128 bytes of UTF-8, no control characters
        channel: {type: string, nullable: true, minLength: 1, maxLength: 64}
        occurredAt: {allOf: [{$ref: "#/components/schemas/Instant"}], nullable: true, description: default now}
        value: {type: number, nullable: true, minimum: 0, maximum: 1000000000000, description: default 1}
        eventId:
          type: string
          nullable: true
          pattern: "^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})$"
          description: a UUID that makes a retry harmless
    EngagementBatch:
      type: object
      additionalProperties: false
      required: [events]
      properties:
        events: {type: array, minItems: 1, maxItems: 1000, items: {$ref: "#/components/schemas/Engagement"}}
    ExportRequest:
      type: object
      additionalProperties: false
      description: Every field is optional (a null is as absent).
      properties:
        from: {type: string, format: date, nullable: true}
        to: {type: string, format: date, nullable: true}
        format: {type: string, enum: [jsonl, csv, null], default: jsonl, nullable: true}
        contentIds:
          type: array
          nullable: true
          items: {$ref: "#/components/schemas/ContentId"}
          description: default - every content with engagement; each must be in the workspace (else 404)
    Totals:
      type: object
      description: views, clicks, shares and engagement sum each event's value (1 when absent); conversions counts conversions, conversionValue sums what they were worth (0 when absent)
      required: [views, clicks, shares, engagement, conversions, conversionValue]
      properties:
        views: {type: number, minimum: 0}
        clicks: {type: number, minimum: 0}
        shares: {type: number, minimum: 0}
        engagement: {type: number, minimum: 0}
        conversions: {type: number, minimum: 0}
        conversionValue: {type: number, minimum: 0}
    Daily:
      allOf:
        - $ref: "#/components/schemas/Totals"
        - type: object
          required: [date]
          properties: {date: {type: string, format: date}}
    ContentAnalytics:
      type: object
      required: [contentId, totals, daily]
      properties:
        contentId: {$ref: "#/components/schemas/ContentId"}
        totals: {$ref: "#/components/schemas/Totals"}
        daily: {type: array, items: {$ref: "#/components/schemas/Daily"}}
    Ranking:
      type: object
      required: [contentId, totals]
      properties:
        contentId: {$ref: "#/components/schemas/ContentId"}
        totals: {$ref: "#/components/schemas/Totals"}
    Dashboard:
      type: object
      required: [workspaceId, from, to, totals, topContent, daily]
      properties:
        workspaceId: {$ref: "#/components/schemas/WorkspaceId"}
        from: {type: string, format: date}
        to: {type: string, format: date}
        totals: {$ref: "#/components/schemas/Totals"}
        topContent: {type: array, items: {$ref: "#/components/schemas/Ranking"}, description: "the leaders of the range: by views, clicks, shares and engagement in it"}
        daily: {type: array, items: {$ref: "#/components/schemas/Daily"}}
    Audience:
      type: object
      required: [audienceId, workspaceId, name, criteria, createdAt, updatedAt]
      properties:
        audienceId: {$ref: "#/components/schemas/AudienceId"}
        workspaceId: {$ref: "#/components/schemas/WorkspaceId"}
        name: {type: string}
        criteria:
          type: object
          required: [keywords, contentTypes, members]
          properties:
            keywords: {type: array, items: {type: string}}
            contentTypes: {type: array, items: {$ref: "#/components/schemas/ContentType"}}
            members: {type: array, items: {type: string}}
        createdAt: {type: string, format: date-time}
        updatedAt: {type: string, format: date-time}
    AudienceCriteria:
      type: object
      additionalProperties: false
      description: Every field is optional (a null is as absent)
      properties:
        keywords: {allOf: [{$ref: "#/components/schemas/Keywords"}], nullable: true}
        contentTypes: {type: array, nullable: true, items: {$ref: "#/components/schemas/ContentType"}}
        members:
          type: array
          nullable: true
          maxItems: 10000
          description: reader ids
          items: {type: string, minLength: 1, maxLength: 128, pattern: "^[^\\x00-\\x1f\\x7f]*$", description: "1 to 128 bytes of UTF-8, no control characters"}
    AudienceCreate:
      type: object
      additionalProperties: false
      required: [name]
      properties:
        name: {allOf: [{$ref: "#/components/schemas/Name"}], description: unique in the workspace, ignoring case}
        criteria: {allOf: [{$ref: "#/components/schemas/AudienceCriteria"}], nullable: true}
    AudienceUpdate:
      type: object
      additionalProperties: false
      description: At least one of name and criteria (a null is as absent); criteria given replace the criteria whole.
      properties:
        name: {allOf: [{$ref: "#/components/schemas/Name"}], nullable: true, description: unique in the workspace, ignoring case}
        criteria: {allOf: [{$ref: "#/components/schemas/AudienceCriteria"}], nullable: true}
      anyOf:
        - {required: [name], properties: {name: {type: string}}}
        - {required: [criteria], properties: {criteria: {type: object}}}
    ChannelCreate:
      type: object
      additionalProperties: false
      required: [name]
      description: "A webhook takes url (and secret); a Mastodon channel takes instanceUrl and accessToken."
      anyOf:
        - required: [url]
          properties: {kind: {enum: [webhook, null]}, url: {type: string}}
          not: {anyOf: [{required: [instanceUrl], properties: {instanceUrl: {type: string}}}, {required: [accessToken], properties: {accessToken: {type: string}}}]}
        - required: [kind, instanceUrl, accessToken]
          properties: {kind: {enum: [mastodon]}, instanceUrl: {type: string}, accessToken: {type: string}}
          not: {anyOf: [{required: [url], properties: {url: {type: string}}}, {required: [secret], properties: {secret: {type: string}}}]}
      properties:
        name: {$ref: "#/components/schemas/Name"}
        kind: {type: string, enum: [webhook, mastodon, null], nullable: true, default: webhook}
        url: {type: string, nullable: true, format: uri, maxLength: 2048, pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]", description: "webhook: an http(s) URL with a host"}
        instanceUrl:
          type: string
          nullable: true
          format: uri
          maxLength: 2048
          pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"
          description: "mastodon: the instance's root URL, such as https://mastodon.social"
        accessToken:
          type: string
          nullable: true
          pattern: "^[!-~]{1,512}$"
          description: "mastodon: an access token of the account with the write:statuses scope; stored sealed, never shown"
        secret:
          type: string
          nullable: true
          pattern: "^whsec_((?:[A-Za-z0-9+/]{4}){8,20}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9+/]{4}){21}(?:[A-Za-z0-9+/]{2}==)?)$"
          description: |
            signs each delivery the Standard Webhooks way: whsec_ and the base64 of a 24 to
            64 byte key; generated when left out, and shown once in the answer
    Channel:
      type: object
      required: [channelId, name, kind, url, status, hasSecret, connectedAt]
      properties:
        channelId: {$ref: "#/components/schemas/ChannelId"}
        name: {type: string}
        kind: {type: string, enum: [webhook, mastodon]}
        url: {type: string, description: "a webhook's endpoint; a Mastodon channel's instance"}
        instanceUrl: {type: string, description: "mastodon: the instance"}
        characterLimit: {type: integer, minimum: 1, description: "mastodon: the most characters a status may have"}
        characterLimitSource:
          type: string
          enum: [instance, default]
          description: "instance: read from its /api/v2/instance; default: Mastodon's 500, the instance did not say"
        characterLimitNote: {type: string, description: "in the answer that connected it: why the default was kept"}
        status: {type: string, enum: [connected, disconnected, paused], description: "paused: every delivery failed for a day; its deliveries wait until it is resumed"}
        hasSecret: {type: boolean}
        connectedAt: {type: string, format: date-time}
        failingSince: {type: string, format: date-time, description: the first failed attempt after the last success, while it keeps failing}
        pausedReason: {type: string}
        secret: {type: string, description: "the signing secret: only in the answer to the request that connected the channel"}
    SecretRotation:
      type: object
      additionalProperties: false
      properties:
        secret: {type: string, pattern: "^whsec_((?:[A-Za-z0-9+/]{4}){8,20}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9+/]{4}){21}(?:[A-Za-z0-9+/]{2}==)?)$", description: the new secret; generated when left out}
        overlapHours: {type: integer, minimum: 0, maximum: 168, default: 24, description: how long the previous secret still signs beside the new one}
    RotatedSecret:
      type: object
      required: [channelId, secret, previousSecretExpiresAt]
      properties:
        channelId: {$ref: "#/components/schemas/ChannelId"}
        secret: {type: string, description: the new secret, shown this once}
        previousSecretExpiresAt: {type: string, format: date-time}
    PublishRequest:
      type: object
      additionalProperties: false
      required: [contentId, channels]
      properties:
        contentId: {$ref: "#/components/schemas/ContentId"}
        channels:
          type: array
          minItems: 1
          uniqueItems: true
          items: {$ref: "#/components/schemas/ChannelId"}
          description: channels connected in the workspace
    Job:
      type: object
      required: [jobId, contentId, workspaceId, status, attempts, deliveries, requestedAt]
      properties:
        jobId: {$ref: "#/components/schemas/JobId"}
        contentId: {$ref: "#/components/schemas/ContentId"}
        workspaceId: {$ref: "#/components/schemas/WorkspaceId"}
        scheduleId: {$ref: "#/components/schemas/ScheduleId"}
        status: {$ref: "#/components/schemas/DeliveryStatus"}
        attempts: {type: integer, minimum: 0}
        requestedAt: {type: string, format: date-time}
        requestedBy: {type: string, description: a user id, or system when a schedule fired}
        deliveries:
          type: array
          items:
            type: object
            required: [channelId, status, attempts, webhookId]
            properties:
              channelId: {$ref: "#/components/schemas/ChannelId"}
              status: {$ref: "#/components/schemas/DeliveryStatus"}
              attempts: {type: integer, minimum: 0}
              lastError: {type: string}
              externalId: {type: string, description: the id the receiver answered with (a JSON body's id)}
              webhookId: {type: string, description: "the webhook-id (and Idempotency-Key) every attempt of this delivery carries"}
              lastStatusCode: {type: integer}
              lastAttemptAt: {type: string, format: date-time}
              nextAttemptAt: {type: string, format: date-time, description: when the next attempt is due, while the delivery is pending}
    DeliveryStatus: {type: string, enum: [queued, delivering, delivered, failed, dead_lettered]}
    WebhookEventType:
      type: string
      enum: ["content.created", "content.updated", "content.refined", "content.deleted", "content.published", "schedule.created", "schedule.updated", "schedule.cancelled", "schedule.fired", "schedule.missed", "distribution.requested", "distribution.retrying", "distribution.failed", "distribution.dead_lettered", "channel.connected", "channel.disconnected", "channel.paused", "channel.resumed", "notification.content_published", "notification.schedule_missed", "notification.distribution_dead_lettered", "notification.channel_paused", "content.*", "schedule.*", "distribution.*", "channel.*", "notification.*", "*"]
      description: |
        A type, a category's wildcard or * for all. content.*: ContentCreated, ContentUpdated,
        ContentRefined, ContentDeleted, ContentPublished (one per channel); schedule.*:
        ContentScheduled (schedule.created), ScheduleUpdated, ScheduleCancelled,
        ScheduleFired, ScheduleMissed; distribution.*: DistributionRequested, an attempt
        failed and retried (distribution.retrying) or not retried (distribution.failed),
        DistributionDeadLettered; channel.*: ChannelConnected (never its secret),
        ChannelDisconnected, ChannelPaused, ChannelResumed. notification.* address the
        person concerned: the content's author for a publication or a dead letter, the
        schedule's creator for a missed schedule, the channel's creator for a paused channel.
    WebhookCreate:
      type: object
      additionalProperties: false
      required: [url, eventTypes]
      properties:
        url: {type: string, format: uri, maxLength: 2048, pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]", description: an http(s) URL with a host}
        eventTypes: {type: array, minItems: 1, maxItems: 50, items: {$ref: "#/components/schemas/WebhookEventType"}}
        secret:
          type: string
          nullable: true
          pattern: "^whsec_((?:[A-Za-z0-9+/]{4}){8,20}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9+/]{4}){21}(?:[A-Za-z0-9+/]{2}==)?)$"
          description: whsec_ and the base64 of a 24 to 64 byte key; generated when left out, and shown once in the answer
        description: {type: string, nullable: true, maxLength: 500}
    Webhook:
      type: object
      required: [webhookId, url, eventTypes, status, createdAt, createdBy, position]
      properties:
        webhookId: {$ref: "#/components/schemas/WebhookId"}
        url: {type: string}
        eventTypes: {type: array, items: {type: string}}
        description: {type: string}
        status: {type: string, enum: [active, unsubscribed]}
        createdAt: {type: string, format: date-time}
        createdBy: {$ref: "#/components/schemas/UserId"}
        position: {type: integer, format: int64, minimum: 1, description: the log position of the subscription; it receives the events after it}
        secret: {type: string, description: "the signing secret: only in the answer to the request that created the subscription"}
    WebhookList:
      type: object
      required: [items, nextCursor]
      properties: {items: {type: array, items: {$ref: "#/components/schemas/Webhook"}}, nextCursor: {type: string, nullable: true}}
    WebhookDelivery:
      type: object
      required: [position, type, status, attempts]
      properties:
        position: {type: integer, format: int64, minimum: 1, description: the log position of the event delivered}
        type: {type: string}
        recipient: {$ref: "#/components/schemas/UserId"}
        status: {$ref: "#/components/schemas/DeliveryStatus"}
        attempts: {type: integer, minimum: 0}
        webhookId: {type: string, description: the webhook-id its attempts carry (once one was made)}
        lastStatusCode: {type: integer}
        lastError: {type: string}
        lastAttemptAt: {type: string, format: date-time}
        nextAttemptAt: {type: string, format: date-time, description: when the next attempt is due, while it is pending}
    WebhookDeliveryList:
      type: object
      required: [items, nextCursor]
      properties: {items: {type: array, items: {$ref: "#/components/schemas/WebhookDelivery"}}, nextCursor: {type: string, nullable: true}}
    WebhookReplayRequest:
      type: object
      additionalProperties: false
      required: [fromPosition]
      properties:
        fromPosition: {type: integer, format: int64, minimum: 0, description: the first log position to deliver again}
    WebhookReplay:
      type: object
      required: [webhookId, fromPosition, queued]
      properties:
        webhookId: {$ref: "#/components/schemas/WebhookId"}
        fromPosition: {type: integer, format: int64, minimum: 0}
        queued: {type: integer, minimum: 0, description: the subscription's messages from fromPosition on now waiting for an attempt}
    WireEvent:
      type: object
      required: [position, stream, version, type, schemaVersion, id, recordedAt, metadata, data]
      properties:
        position: {type: integer, format: int64, minimum: 1}
        stream: {type: string}
        version: {type: integer, format: int64, minimum: 0}
        type: {type: string}
        schemaVersion: {type: integer}
        id: {type: string, format: uuid}
        recordedAt: {type: string, format: date-time}
        metadata: {type: object}
        data: {type: object}
"""#
}
