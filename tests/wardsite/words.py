"""The vocabulary the generated ward news is written from: places, people, offices, and per
category the organisers, activities and subjects of its stories.

All of it is written for this generator (no text from any real site). It carries what the
search tests care about: abbreviations next to their long forms (UBND, MTTQ, HĐND, TP.HCM),
document numbers (123/KH-UBND, 05-NQ/ĐU), dates and amounts written the Vietnamese way, and
both tone-placement conventions (hòa/hoà, thủy/thuỷ), chosen per article.
"""

from __future__ import annotations

from dataclasses import dataclass

WARD_NAMES = (
    "An Phú", "An Khánh", "Bình Minh", "Bình Thuận", "Hòa Bình", "Hòa Thuận", "Tân Hưng", "Tân Định",
    "Tân Phong", "Phú Lợi", "Phú Mỹ", "Phước Long", "Long Thạnh", "Thạnh Mỹ", "Thuận Giao", "Trung Hòa",
    "Quang Trung", "Hiệp Thành", "Đông Hưng", "Tây Thạnh", "Nam Sơn", "Bắc Hà", "Vĩnh Phúc", "Hưng Lợi",
    "Thủy Châu", "Cẩm Lệ", "Mỹ An", "Xuân Hòa", "Kim Long", "Hải Châu", "Thanh Khê", "Sơn Trà",
)
DISTRICTS = ("Quận 1", "Quận 3", "Quận 7", "Quận 10", "Quận Bình Thạnh", "Quận Gò Vấp", "Quận Tân Bình",
             "Thành phố Thủ Đức", "Quận Hải Châu", "Quận Cầu Giấy", "Quận Ninh Kiều", "Thị xã Thuận An")
CITIES = ("Thành phố Hồ Chí Minh", "Thành phố Hà Nội", "Thành phố Đà Nẵng", "Thành phố Cần Thơ",
          "Tỉnh Bình Dương", "Thành phố Huế")
STREETS = ("Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt", "Phan Đình Phùng",
           "Nguyễn Trãi", "Võ Thị Sáu", "Điện Biên Phủ", "Lê Văn Sỹ", "Cách Mạng Tháng Tám", "Hoàng Văn Thụ",
           "Dương Bá Trạc", "Đường số 9")

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Mai", "Trương")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Thanh", "Hoàng", "Ngọc", "Quốc", "Thành", "Hữu", "Kim", "Thu",
                "Đức", "Bảo", "Mỹ")
GIVEN_NAMES = ("An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam",
               "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vy", "Yến", "Hiền", "Khoa",
               "Nhung", "Thúy", "Hòa", "Khánh", "Phương", "Trinh", "Đạt")
ROLES = ("Bí thư Đảng ủy phường", "Phó Bí thư Thường trực Đảng ủy phường", "Chủ tịch UBND phường",
         "Phó Chủ tịch UBND phường", "Chủ tịch Ủy ban MTTQ Việt Nam phường", "Trưởng Công an phường",
         "Chỉ huy trưởng Ban Chỉ huy Quân sự phường", "Chủ tịch Hội Liên hiệp Phụ nữ phường",
         "Bí thư Đoàn phường", "Trạm trưởng Trạm Y tế phường", "Chủ tịch Hội Cựu chiến binh phường")
AUDIENCES = ("cán bộ, công chức phường", "trưởng các khu phố", "bí thư các chi bộ", "đoàn viên, thanh niên",
             "hội viên phụ nữ", "người dân trên địa bàn", "các hộ kinh doanh", "lực lượng dân quân",
             "cựu chiến binh", "học sinh các trường trên địa bàn")
PERIODS = ("năm {year}", "quý {quarter}/{year}", "6 tháng đầu năm {year}", "tháng {month}/{year}",
           "giai đoạn {year}-{next_year}", "đợt {n} năm {year}")
DOCUMENTS = ("Kế hoạch số {n}/KH-UBND", "Quyết định số {n}/QĐ-UBND", "Công văn số {n}/UBND-VX",
             "Nghị quyết số {nn}-NQ/ĐU", "Chỉ thị số {nn}-CT/TU", "Thông báo số {n}/TB-UBND",
             "Hướng dẫn số {nn}-HD/BTG")
# The two spellings of the same syllables; each article uses one of them throughout.
TONE_VARIANTS = (("hòa", "hoà"), ("thủy", "thuỷ"), ("khỏe", "khoẻ"), ("Ủy", "Uỷ"), ("ủy", "uỷ"))


@dataclass(frozen=True)
class Beat:
    """What one category writes about: who organises, what they do, and about what."""

    slug: str
    name: str
    organisers: tuple[str, ...]
    activities: tuple[str, ...]
    subjects: tuple[str, ...]
    outcomes: tuple[str, ...]


BEATS = (
    Beat("xay-dung-dang", "Xây dựng Đảng",
         ("Đảng ủy {ward}", "Ban Thường vụ Đảng ủy {ward}", "Chi bộ khu phố {kp}",
          "Ủy ban Kiểm tra Đảng ủy {ward}"),
         ("tổ chức hội nghị quán triệt", "tổ chức sinh hoạt chuyên đề về",
          "tổ chức lễ kết nạp đảng viên gắn với",
          "sơ kết công tác", "tổ chức tập huấn nghiệp vụ về", "triển khai học tập"),
         ("học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "công tác kiểm tra, giám sát",
          "công tác phát triển đảng viên", "Nghị quyết Đại hội Đảng bộ phường", "công tác dân vận",
          "đấu tranh phản bác các quan điểm sai trái"),
         ("các chi bộ xây dựng kế hoạch thực hiện cụ thể, phân công rõ người, rõ việc",
          "mỗi đảng viên nêu cao tinh thần gương mẫu, gắn bó với nhân dân nơi cư trú",
          "Đảng ủy phường sẽ kiểm tra việc thực hiện tại các chi bộ vào cuối quý")),
    Beat("chinh-quyen", "Chính quyền",
         ("UBND {ward}", "Ủy ban nhân dân {ward}", "Bộ phận Tiếp nhận và Trả kết quả {ward}",
          "Thường trực HĐND {ward}"),
         ("tổ chức hội nghị triển khai", "tổ chức đối thoại với người dân về", "ban hành kế hoạch thực hiện",
          "tổ chức kiểm tra", "tổ chức tổng kết", "tổ chức lấy ý kiến nhân dân về"),
         ("cải cách hành chính", "dịch vụ công trực tuyến", "chuyển đổi số", "tiếp công dân định kỳ",
          "cấp căn cước cho người dân", "chỉnh lý hồ sơ địa chính", "thực hiện dân chủ ở cơ sở"),
         ("hồ sơ được giải quyết đúng hạn đạt tỷ lệ {pct}%",
          "người dân được hướng dẫn nộp hồ sơ trực tuyến ngay tại Bộ phận một cửa",
          "các kiến nghị của cử tri được tổng hợp, chuyển đến cơ quan có thẩm quyền")),
    Beat("mat-tran-doan-the", "Mặt trận - Đoàn thể",
         ("Ủy ban MTTQ Việt Nam {ward}", "Hội Liên hiệp Phụ nữ {ward}", "Đoàn Thanh niên {ward}",
          "Hội Cựu chiến binh {ward}", "Hội Người cao tuổi {ward}", "Hội Chữ thập đỏ {ward}"),
         ("phát động phong trào", "tổ chức ngày hội", "tổ chức hội thi tìm hiểu về", "ra mắt mô hình",
          "tổ chức họp mặt nhân kỷ niệm", "vận động hội viên tham gia"),
         ("Toàn dân đoàn kết xây dựng đời sống văn hóa", "khu dân cư xanh, sạch, đẹp",
          "hiến máu tình nguyện", "Ngày vì người nghèo", "xây dựng gia đình hạnh phúc",
          "thanh niên tình nguyện hè"),
         ("{n} phần quà được trao tặng cho hộ nghèo, hộ cận nghèo",
          "ban tổ chức đã tiếp nhận {amount} đồng ủng hộ Quỹ Vì người nghèo",
          "{n} đoàn viên, hội viên đăng ký tham gia")),
    Beat("van-hoa-xa-hoi", "Văn hóa - Xã hội",
         ("UBND {ward}", "Ban Chỉ đạo phong trào {ward}", "Trung tâm Văn hóa - Thể thao {ward}",
          "Hội Khuyến học {ward}"),
         ("tổ chức lễ trao học bổng về", "tổ chức giải thi đấu", "tổ chức chương trình",
          "khai mạc hội thao về",
          "tổ chức lễ tuyên dương", "phối hợp tổ chức ngày hội"),
         ("khuyến học, khuyến tài", "bình đẳng giới", "phòng, chống bạo lực gia đình",
          "chăm sóc người có công", "giảm nghèo bền vững", "bảo hiểm y tế hộ gia đình",
          "thể dục thể thao quần chúng"),
         ("{n} suất học bổng, mỗi suất trị giá {amount} đồng, được trao cho học sinh vượt khó",
          "phong trào thu hút đông đảo người dân các khu phố tham gia",
          "các gia đình chính sách được thăm hỏi, tặng quà chu đáo")),
    Beat("y-te", "Y tế",
         ("Trạm Y tế {ward}", "Ban Chỉ đạo chăm sóc sức khỏe nhân dân {ward}", "UBND {ward}"),
         ("ra quân", "tổ chức chiến dịch", "tổ chức khám sàng lọc về", "triển khai đợt tuyên truyền",
          "tổ chức tiêm chủng gắn với", "kiểm tra liên ngành về"),
         ("phòng, chống dịch sốt xuất huyết", "tiêm chủng mở rộng", "an toàn thực phẩm",
          "chăm sóc sức khỏe người cao tuổi", "phòng, chống COVID-19", "vệ sinh môi trường, diệt lăng quăng"),
         ("{n} lượt người dân được khám, tư vấn miễn phí",
          "các hộ dân được hướng dẫn loại bỏ vật dụng chứa nước đọng quanh nhà",
          "đoàn kiểm tra nhắc nhở {n} cơ sở kinh doanh thực hiện đúng quy định")),
    Beat("an-ninh-quoc-phong", "An ninh - Quốc phòng",
         ("Công an {ward}", "Ban Chỉ huy Quân sự {ward}", "Hội đồng Nghĩa vụ quân sự {ward}",
          "Ban Chỉ đạo phòng, chống tội phạm {ward}"),
         ("ra quân", "tổ chức tuyên truyền", "tổ chức diễn tập", "tổ chức lễ giao nhận quân gắn với",
          "tổng kết phong trào", "triển khai cao điểm"),
         ("phòng cháy, chữa cháy tại khu dân cư", "phòng, chống lừa đảo qua mạng", "an toàn giao thông",
          "Toàn dân bảo vệ an ninh Tổ quốc", "tuyển chọn và gọi công dân nhập ngũ", "phòng, chống ma túy"),
         ("{n} tin báo của người dân được tiếp nhận và xử lý kịp thời",
          "lực lượng chức năng duy trì tuần tra vào ban đêm tại các tuyến đường",
          "{n} thanh niên đủ điều kiện sẵn sàng lên đường nhập ngũ")),
    Beat("kinh-te-do-thi", "Kinh tế - Đô thị",
         ("UBND {ward}", "Đội Quản lý trật tự đô thị {ward}", "Tổ công tác chỉnh trang đô thị {ward}"),
         ("ra quân", "tổ chức kiểm tra", "triển khai kế hoạch", "ký kết chương trình phối hợp về",
          "vận động người dân tham gia", "tổ chức hội nghị về"),
         ("lập lại trật tự lòng lề đường", "chỉnh trang đô thị", "thu gom rác thải sinh hoạt",
          "hỗ trợ hộ kinh doanh chuyển đổi số", "quản lý xây dựng trên địa bàn",
          "sử dụng nước sạch tiết kiệm"),
         ("{n} trường hợp lấn chiếm vỉa hè được nhắc nhở, tháo dỡ",
          "các tuyến hẻm trong khu phố {kp} được chiếu sáng, phát quang thông thoáng",
          "tổng kinh phí thực hiện khoảng {amount} đồng từ ngân sách và nguồn xã hội hóa")),
    Beat("thong-bao", "Thông báo",
         ("UBND {ward}", "Văn phòng UBND {ward}", "Bộ phận Tiếp nhận và Trả kết quả {ward}"),
         ("thông báo lịch", "thông báo kế hoạch", "thông báo về việc", "thông báo kết quả",
          "thông báo tiếp nhận hồ sơ về", "thông báo điều chỉnh thời gian"),
         ("tiếp công dân định kỳ", "niêm yết công khai danh sách hộ nghèo", "cấp đổi giấy phép kinh doanh",
          "lấy ý kiến về quy hoạch khu phố", "tuyển chọn công dân nhập ngũ", "thu phí vệ sinh môi trường"),
         ("người dân có nhu cầu liên hệ Văn phòng UBND phường trong giờ hành chính",
          "mọi ý kiến đóng góp xin gửi về UBND phường trước ngày {deadline}",
          "hồ sơ nộp trực tiếp hoặc qua Cổng dịch vụ công quốc gia")),
)

LEAD = "Ngày {date}, {organiser} {activity} {subject} {period}."
OPENINGS = (
    "Tham dự có {person}, {role}; {person2}, {role2} cùng {n} đại biểu là {audience}.",
    "Đến dự có {person}, {role} và đông đảo {audience}.",
    "Chương trình thu hút khoảng {n} {audience} tham gia.",
)
DETAILS = (
    "Theo {document} ngày {doc_date} của UBND phường, {subject} là một trong những nhiệm vụ trọng "
    "tâm của {period}.",
    "Tại buổi làm việc, đại biểu được nghe {person}, {role}, quán triệt những nội dung chính của {document}.",
    "Báo cáo cho biết trong {period}, {outcome}.",
    "Nhiều ý kiến tại hội nghị đề xuất cần tăng cường phối hợp giữa các khu phố và đoàn thể trong {subject}.",
    "Các khu phố {kp} và {kp2} được đánh giá là đơn vị làm tốt, có cách làm sáng tạo, phù hợp với thực tế.",
    "{organiser_cap} đã phân công cán bộ phụ trách từng khu phố, theo dõi và báo cáo kết quả hằng tuần.",
    "Công tác tuyên truyền được thực hiện qua hệ thống loa truyền thanh, nhóm Zalo khu phố và trang "
    "thông tin điện tử của phường.",
    "Bên cạnh kết quả đạt được, vẫn còn một số hạn chế như sự phối hợp chưa thường xuyên, một bộ "
    "phận người dân chưa quan tâm đúng mức.",
    "Người dân khu phố {kp} chia sẻ việc làm này giúp bà con hiểu rõ hơn quyền lợi và trách nhiệm của mình.",
    "Kinh phí tổ chức {amount} đồng, được trích từ ngân sách phường và sự đóng góp của các nhà hảo tâm.",
    "Dịp này, {organiser} khen thưởng {n} tập thể và cá nhân có thành tích tiêu biểu.",
    "Đợt tuyên truyền diễn ra từ ngày {doc_date} đến hết tháng {month}/{year} tại tất cả các khu phố.",
    "Chi tiết xin liên hệ số điện thoại {phone} hoặc thư điện tử {email}.",
    "Các tổ hòa giải ở cơ sở được đề nghị chủ động nắm tình hình, giải quyết mâu thuẫn ngay từ khu dân cư.",
    "Dịp này, đại biểu chúc các gia đình chính sách và người cao tuổi dồi dào sức khỏe.",
    "Lực lượng chức năng cũng nhắc người dân chú ý an toàn giao thông đường thủy trong mùa mưa bão.",
    "Văn bản được đăng tải đầy đủ tại {website} để người dân tiện theo dõi.",
)
CLOSINGS = (
    "Phát biểu kết luận, {person}, {role}, đề nghị các đơn vị tiếp tục {follow_up}, góp phần hoàn "
    "thành thắng lợi nhiệm vụ {period}.",
    "Kết thúc chương trình, {outcome}.",
    "Thời gian tới, {organiser} sẽ tiếp tục {follow_up} nhằm mang lại hiệu quả thiết thực cho người dân.",
)
FOLLOW_UPS = ("duy trì nền nếp sinh hoạt", "đẩy mạnh công tác tuyên truyền",
              "nâng cao chất lượng phục vụ người dân",
              "tăng cường kiểm tra, đôn đốc", "nhân rộng các mô hình hay, cách làm hiệu quả",
              "phát huy vai trò của cả hệ thống chính trị")
TITLES = (
    "{ward_cap} {activity} {subject} {period}",
    "{organiser_cap} {activity} {subject}",
    "{activity_cap} {subject} tại khu phố {kp}",
    "{organiser_cap} {activity} {subject} {period}",
)
REVISED_TITLES = (
    "{subject_cap}: {organiser} {activity} {period}",
    "Đẩy mạnh {subject} trên địa bàn {ward}",
)
UPDATE_NOTES = (
    "Cập nhật: {organiser_cap} điều chỉnh một số nội dung so với thông tin đăng trước đó, theo {document}.",
    "Bổ sung: thời gian thực hiện được kéo dài đến hết tháng {month}/{year} để người dân kịp tham gia.",
)
ATTACHMENTS = (
    ("ke-hoach-{n}-kh-ubnd", "Kế hoạch số {n}/KH-UBND"),
    ("thong-bao-{n}-tb-ubnd", "Thông báo số {n}/TB-UBND"),
    ("quyet-dinh-{n}-qd-ubnd", "Quyết định số {n}/QĐ-UBND"),
    ("bieu-mau-dang-ky-{n}", "Biểu mẫu đăng ký"),
    ("danh-sach-{n}", "Danh sách kèm theo"),
)
ATTACHMENT_TYPES = ("pdf", "pdf", "pdf", "docx", "docx", "doc", "xlsx", "xls")
